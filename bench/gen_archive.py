#!/usr/bin/env python3
"""Deterministic synthetic news archive for benchmarking newsprint (and Hugo).

    bench/gen_archive.py --n 10000 --out /tmp/np-bench/10000 \
        --sample-records SITE/content/articles [--seed 1] [--regions data/regions.tsv]

Builds N articles in weekly issues (Tuesdays; 32-48 articles per issue, mean 40,
over 8 pages), recombining the sentences of the sample site's article records
with varied dates, regions at all levels (province, prefecture, county: full
official paths `省/市/县` from regions.tsv), events (a pool of ~300 names,
Zipf-distributed so some events and regions have long, paginated lists),
bylines and source lines.  It writes the same archive twice:

    OUT/raw/        a site of raw pages:  content/issues/<date>/<NN>.txt
                    (headline line, byline `■ 本报记者 王勇`, one paragraph per
                    line or hard-wrapped columns, half- or full-width
                    punctuation, source line `（据…）`), for ingest + build;
    OUT/records/    a site of article records: content/articles/<date>/<id>.md
                    + pages.yaml (the record format of docs/records.md), for a
                    build that skips ingest, and as Hugo content;
    OUT/extra/      one more issue (the week after the last), as raw pages
                    (extra/issues/<date>/) and records (extra/articles/<date>/),
                    for the "one new issue" build;
    OUT/manifest.json  counts and dates.

Both sites get site.yaml and a copy of the theme from --site-src (default: the
repository root).  Output depends only on --n, --seed, the sample records, the
regions table and (for slugs) ICU's Han-Latin transliterator through `uconv`
(a code-based slug is used when `uconv` is missing).

Python 3 standard library only (PyYAML is used to read the sample front matter
when it is installed).
"""
import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

AUTHORS = ["王勇", "张明敏", "皮磊", "李晓红", "刘婷", "陈晨", "赵静", "孙立",
           "周洁", "吴迪", "郑华", "王芳", "杨帆", "黄蕾", "何文", "高远",
           "林峰", "罗娟", "梁雪", "宋佳", "唐敏", "许诺", "韩冰", "冯晓",
           "曹阳", "彭丽", "蒋涛", "谢琳", "邓宇", "徐亮"]
OUTLETS = ["中国社会工作联合会", "《福建日报》", "《宁夏日报》", "河北省民政厅",
           "上海市民政局", "《南方日报》", "《四川日报》", "民政部", "《浙江日报》",
           "中国乡村发展基金会", "《湖北日报》", "广东省民政厅", "《陕西日报》"]
ZONES = ["全国", "东西部", "长三角", "京津冀", "粤港澳", "成渝", "闽台", "沪甘",
         "苏陕", "浙川", "鲁渝", "黄河流域", "西部", "东北", "中部", "边疆"]
SUBJECTS = ["社会工作", "社工站建设", "乡村振兴", "养老服务", "儿童保护",
            "社区治理", "志愿服务", "慈善事业", "医务社工", "禁毒社工",
            "青少年社工", "残疾人服务", "救助帮扶", "心理服务", "社会组织"]
KINDS = ["论坛", "推进会", "交流会", "研讨会", "培训班", "行动计划", "示范项目",
         "大会", "宣传周", "成果展"]
TOPICS = ["推进社工站建设", "开展困难群众走访慰问", "举办社会工作宣传周活动",
          "召开社会组织年检工作会议", "启动社区治理创新试点", "发布社会工作服务标准",
          "表彰优秀社会工作者", "建成乡镇社工站全覆盖", "开展儿童关爱保护行动",
          "培育社区社会组织", "推动养老服务提质增效", "加强社工人才队伍建设"]
PUNCT_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})


def load_regions(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            code, level, name, short, parent = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
            rows[code] = (level, name, short, parent)
    out = {"province": [], "city": [], "county": []}
    for code, (level, name, short, parent) in sorted(rows.items()):
        names = [name]
        p = parent
        while p:
            names.append(rows[p][1])
            p = rows[p][3]
        names.reverse()
        out[level].append((code, names, short or name))
    return out


def split_front(text):
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 4)
    return text[4:end], text[end + 5:]


def front_title(fm):
    try:
        import yaml
        return str(yaml.safe_load(fm).get("title") or "")
    except ImportError:
        m = re.search(r"^title: (.*)$", fm, re.M)
        return m.group(1).strip('"') if m else ""


def load_samples(records_dir):
    sentences, titles = [], []
    for dirpath, _, files in sorted(os.walk(records_dir)):
        for fn in sorted(files):
            if not fn.endswith(".md"):
                continue
            with open(os.path.join(dirpath, fn), encoding="utf-8") as f:
                fm, body = split_front(f.read())
            t = front_title(fm).split("：", 1)[-1]
            if 4 <= len(t) <= 24:  # longer headlines wrap on a real page
                titles.append(t)
            for para in body.split("\n\n"):
                para = para.strip()
                if not para or para.startswith(("#", "!", "|", "-")):
                    continue
                for s in re.findall(r"[^。！？]*[。！？][”』」）]?", para):
                    s = s.strip()
                    if 12 <= len(s) <= 240:
                        sentences.append(s)
    if len(sentences) < 20:
        sys.exit("gen_archive: too few sample sentences in %s (run `newsprint ingest` "
                 "on a copy of the sample site first)" % records_dir)
    return sentences, titles


def yq(s):
    """A YAML scalar as newsprint's ingest writes it: plain when safe, else double-quoted."""
    if s is None:
        return "null"
    if (s == "" or s[0] in "-?:,[]{}#&*!|>'\"%@` " or re.search(r": |\s#|[\[\]{},\"'\\]", s)
            or s.lower() in ("null", "true", "false", "yes", "no", "~")
            or re.fullmatch(r"[0-9.+-].*", s)):
        return json.dumps(s, ensure_ascii=False)
    return s


def ylist(v):
    return "[" + ", ".join(yq(x) for x in v) + "]"


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.sentences, self.sample_titles = load_samples(args.sample_records)
        self.regions = load_regions(args.regions)
        r = self.rng
        pool = set()
        while len(pool) < args.events:
            pool.add(r.choice(ZONES) + r.choice(SUBJECTS) + r.choice(KINDS))
        self.events = sorted(pool)
        r.shuffle(self.events)
        # Zipf-like weights: a few events (and regions) carry long lists.
        self.ev_w = [1.0 / (i + 1) ** 0.9 for i in range(len(self.events))]
        self.lvl = {k: [1.0 / (i % 97 + 1) ** 0.6 for i in range(len(v))]
                    for k, v in self.regions.items()}
        for k in self.regions:  # decouple popularity from code order
            r.shuffle(self.regions[k])

    def region(self):
        r = self.rng
        level = r.choices(["province", "city", "county"], [20, 35, 45])[0]
        return r.choices(self.regions[level], self.lvl[level])[0]

    def article(self, issue, page, k, used_titles):
        r = self.rng
        code, names, short = self.region()
        ev = []
        for _ in range(r.choice([1, 1, 1, 2, 2, 3])):
            e = r.choices(self.events, self.ev_w)[0]
            if e not in ev:
                ev.append(e)
        places = []
        for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
            p = self.region()
            if p[1] != names and p[1] not in places:
                places.append(p[1])
        date = issue - dt.timedelta(days=r.randint(1, 6))
        end = date + dt.timedelta(days=r.randint(1, 2)) if r.random() < 0.1 else None
        where = "".join(names)
        when = "%d月%d日" % (date.month, date.day)
        if end:
            when += ("至%d日" % end.day) if end.month == date.month else \
                    ("至%d月%d日" % (end.month, end.day))
        lead = "%s，%s在%s举行。" % (when, ev[0], where)
        if places:
            lead += "来自%s的代表参加了活动。" % "、".join("".join(p) for p in places)
        paras = [lead + "".join(r.sample(self.sentences, r.randint(1, 2)))]
        for _ in range(r.randint(3, 8)):
            paras.append("".join(r.choice(self.sentences) for _ in range(r.randint(1, 4))))
        t = r.randrange(4)
        if t == 0:
            title = "%s在%s举行" % (ev[0], short)
        elif t == 1:
            title = "%s召开%s" % (names[-1], ev[0])
        elif t == 2:
            title = "%s%s" % (short, r.choice(TOPICS))
        else:
            st = r.choice(self.sample_titles)
            title = "%s：%s" % (short if len(names) == 1 else names[0], st)
            if len(title) > 24:
                title = "%s%s" % (names[-1], r.choice(TOPICS))
        n = 2
        base = title
        while title in used_titles:
            title = "%s（之%d）" % (base, n)
            n += 1
        used_titles.add(title)
        author = source = None
        x = r.random()
        if x < 0.5:
            author = r.choice(AUTHORS)
        elif x < 0.97:
            source = r.choice(OUTLETS)
        return {
            "id": "%s-%02d-%d" % (issue.isoformat(), page, k),
            "title": title, "date": date, "end_date": end, "issue": issue, "page": page,
            "authors": [author] if author else [],
            "source": source.strip("《》") if source else None, "source_line": source,
            "regions": ["/".join(names)], "places": ["/".join(p) for p in places],
            "events": ev, "summary": lead.split("。")[0] + "。", "paras": paras,
            "code": code,
        }


def write_record(a, path, slug):
    fm = [
        "---",
        'id: "%s"' % a["id"],
        "title: " + yq(a["title"]),
        "kicker: null",
        "subtitle: null",
        "date: " + a["date"].isoformat(),
        "end_date: " + (a["end_date"].isoformat() if a["end_date"] else "null"),
        'issue: "%s"' % a["issue"].isoformat(),
        "page: %d" % a["page"],
        "authors: " + ylist(a["authors"]),
        "source: " + yq(a["source"]),
        "regions: " + ylist(a["regions"]),
        "places: " + ylist(a["places"]),
        "events: " + ylist(a["events"]),
        "people: []",
        "captions: []",
        "summary: " + yq(a["summary"]),
        "slug: " + slug,
        "source_file: content/issues/%s/%02d.txt" % (a["issue"].isoformat(), a["page"]),
        "---",
    ]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(fm) + "\n" + "\n\n".join(a["paras"]) + "\n")


def write_pages_yaml(issue, pages, path):
    out = ["# Written by gen_archive.py (newsprint page record format).",
           'issue: "%s"' % issue.isoformat(), "pages:"]
    for pno, arts in pages:
        out += ["- page: %d" % pno,
                "  source_file: content/issues/%s/%02d.txt" % (issue.isoformat(), pno),
                "  articles: [%s]" % ", ".join('"%s"' % a["id"] for a in arts),
                "  teasers: []", "  captions: []"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


NO_LINE_START = set("，。、；：！？）》”』」,.;:!?)")


def wrap(s, width):
    """Hard-wrap like a printed column: closing punctuation never starts a line."""
    lines, i = [], 0
    while i < len(s):
        j = min(i + width, len(s))
        while j < len(s) and s[j] in NO_LINE_START:
            j += 1
        lines.append(s[i:j])
        i = j
    return "\n".join(lines)


def raw_page(arts, style, rng):
    """One raw page: headline, byline, paragraphs, source line per article."""
    out = ["", ""]
    for a in arts:
        out += [a["title"], ""]
        if a["authors"]:
            out += ["■ 本报记者 " + a["authors"][0], ""]
        for p in a["paras"]:
            if style["half"]:
                p = p.translate(PUNCT_HALF)
            out += [wrap(p, style["width"]) if style["width"] else p, ""]
        if a["source_line"]:
            out += [("(据%s)" if style["half"] else "（据%s）") % a["source_line"], ""]
        out += [""]
    return "\n".join(out)


def slugs_for(titles):
    """Pinyin slugs through ICU (uconv), like newsprint's np_slugify; None if unavailable."""
    if not shutil.which("uconv") or not titles:
        return None
    res = subprocess.run(["uconv", "-f", "utf-8", "-t", "utf-8", "-x", "Han-Latin; Latin-ASCII"],
                         input="\n".join(titles) + "\n", capture_output=True, text=True)
    lines = res.stdout.split("\n")
    if res.returncode != 0 or len(lines) < len(titles):
        return None
    out = []
    for s in lines[:len(titles)]:
        s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
        if len(s) > 96:
            s = s[:96].rsplit("-", 1)[0]
        out.append(s or "article")
    return out


def copy_site_files(src, dst):
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(src, "site.yaml"), encoding="utf-8") as f:
        cfg = f.read()
    with open(os.path.join(dst, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(cfg)
    for d in ("themes", "templates"):
        s = os.path.join(src, d)
        if os.path.isdir(s):
            shutil.copytree(s, os.path.join(dst, d), dirs_exist_ok=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of articles")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--events", type=int, default=300, help="size of the event name pool")
    ap.add_argument("--sample-records", required=True,
                    help="content/articles of an ingested copy of the sample site")
    ap.add_argument("--regions", default=None)
    ap.add_argument("--site-src", default=ROOT, help="where site.yaml and themes/ come from")
    ap.add_argument("--end", default="2025-12-30", help="date of the last issue (a Tuesday)")
    args = ap.parse_args()
    if args.regions is None:
        args.regions = next((p for p in (os.path.join(ROOT, "data/regions.tsv"),
                                         "/work/shared/data/regions.tsv") if os.path.exists(p)),
                            None)
        if not args.regions:
            sys.exit("gen_archive: no regions.tsv; pass --regions")
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    g = Gen(args)
    rng = g.rng

    # Issue sizes first (so the dates can end at --end), then one extra issue.
    sizes, left = [], args.n
    while left > 0:
        k = min(left, rng.randint(32, 48))
        sizes.append(k)
        left -= k
    sizes.append(rng.randint(36, 44))
    end = dt.date.fromisoformat(args.end)
    first = end - dt.timedelta(weeks=len(sizes) - 2)

    issues = []  # (date, [(page, [articles])])
    for i, size in enumerate(sizes):
        date = first + dt.timedelta(weeks=i)
        cuts = sorted(rng.sample(range(1, size), min(7, size - 1)))
        bounds = [0] + cuts + [size]
        used = set()
        pages = []
        for p in range(len(bounds) - 1):
            pno = p + 1
            arts = [g.article(date, pno, k + 1, used) for k in range(bounds[p + 1] - bounds[p])]
            pages.append((pno, arts))
        issues.append((date, pages))

    all_arts = [a for _, pages in issues for _, arts in pages for a in arts]
    slugs = slugs_for([a["title"] for a in all_arts])
    for i, a in enumerate(all_arts):
        a["slug"] = slugs[i] if slugs else "a-%s-%s" % (a["code"], a["id"][-4:].replace("-", ""))

    raw, rec, extra = (os.path.join(args.out, d) for d in ("raw", "records", "extra"))
    copy_site_files(args.site_src, raw)
    copy_site_files(args.site_src, rec)
    styles = [{"width": 0, "half": False}, {"width": 0, "half": True},
              {"width": 14, "half": False}, {"width": 13, "half": True}]
    n_bytes_raw = 0
    for idx, (date, pages) in enumerate(issues):
        is_extra = idx == len(issues) - 1
        d = date.isoformat()
        idir = os.path.join(extra if is_extra else raw, "content/issues" if not is_extra else "issues", d)
        adir = os.path.join(extra if is_extra else rec, "content/articles" if not is_extra else "articles", d)
        os.makedirs(idir)
        os.makedirs(adir)
        for pno, arts in pages:
            style = rng.choices(styles, [45, 25, 20, 10])[0]
            text = raw_page(arts, style, rng)
            n_bytes_raw += len(text.encode("utf-8"))
            with open(os.path.join(idir, "%02d.txt" % pno), "w", encoding="utf-8") as f:
                f.write(text)
            for a in arts:
                write_record(a, os.path.join(adir, a["id"] + ".md"), a["slug"])
        write_pages_yaml(date, pages, os.path.join(adir, "pages.yaml"))

    man = {
        "n": args.n, "seed": args.seed, "issues": len(issues) - 1,
        "pages": sum(len(p) for _, p in issues[:-1]),
        "first_issue": issues[0][0].isoformat(), "last_issue": issues[-2][0].isoformat(),
        "extra_issue": issues[-1][0].isoformat(),
        "extra_articles": sum(len(a) for _, a in issues[-1][1]),
        "events_pool": len(g.events), "sample_sentences": len(g.sentences),
        "slugs": "uconv Han-Latin" if slugs else "code-based",
        "raw_bytes": n_bytes_raw,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(man, f, ensure_ascii=False, indent=1)
    print(json.dumps(man, ensure_ascii=False))


if __name__ == "__main__":
    main()
