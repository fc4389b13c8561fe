#!/usr/bin/env python3
"""Check a site's ingested records against the gold annotations in tests/gold.

usage: check_gold.py SITE [--gold DIR] [--floor FILE] [--verbose]

The gold files (copied from the project's shared gold) say what a perfect ingest of each sample
page yields; tests/gold/pages.tsv maps each gold page to its raw file in the site. Texts are
compared after NFKC width folding with whitespace removed. Prints passed/total per kind of check
and the overall share. With --floor, exits 1 when the overall share or any kind's share falls
below the floor recorded there (floors only ever go up: raise them as ingest improves).
"""
import argparse
import glob
import os
import re
import sys
import unicodedata

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CJK = "\u3400-\u9fff\uf900-\ufaff"
QUOTES = re.compile(r"[\"'“”‘’《》「」『』]")


def fold(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s or "")))


def unquote(s):
    return QUOTES.sub("", fold(s))


def nodash(s):
    return fold(s).strip("—-－")


def listify(v):
    return [] if v is None else (v if isinstance(v, list) else [v])


def under(want, got):
    return got == want or got.startswith(want + "/")


def load_record(path):
    text = open(path, encoding="utf-8").read()
    m = re.match(r"\A---\n(.*?)\n---\n?(.*)\Z", text, re.S)
    if not m:
        return None, text
    return yaml.safe_load(m.group(1)) or {}, m.group(2)


class Tally:
    def __init__(self):
        self.kinds, self.fails = {}, []

    def __call__(self, kind, ok, why):
        p, t = self.kinds.get(kind, (0, 0))
        self.kinds[kind] = (p + (1 if ok else 0), t + 1)
        if not ok:
            self.fails.append(f"{kind}: {why}")

    def share(self, kind=None):
        items = [self.kinds[kind]] if kind else self.kinds.values()
        p, t = sum(v[0] for v in items), sum(v[1] for v in items)
        return p / t if t else 1.0


def check_article(ok, g, meta, body, where):
    b = fold(body)
    for k, cmp in (("kicker", nodash), ("subtitle", nodash)):
        if k in g:
            ok(k, cmp(meta.get(k)) == cmp(g[k]), f"{where}: {k} {meta.get(k)!r} want {g[k]!r}")
    if "authors" in g:
        ok("authors", sorted(map(fold, listify(meta.get("authors")))) == sorted(map(fold, g["authors"])),
           f"{where}: authors {meta.get('authors')!r} want {g['authors']!r}")
    if "source" in g:
        got = unquote(meta.get("source")) if meta.get("source") else ""
        want = unquote(g["source"]) if g["source"] else ""
        ok("source", got == want, f"{where}: source {meta.get('source')!r} want {g['source']!r}")
    for k in ("date", "end_date"):
        if g.get(k) is not None:
            ok("date", str(meta.get(k)) == str(g[k]), f"{where}: {k} {meta.get(k)!r} want {g[k]}")
    regions = [str(x) for x in listify(meta.get("regions"))]
    named = regions + [str(x) for x in listify(meta.get("places"))]
    for w in g.get("regions", []):
        ok("regions", any(under(w, x) for x in regions), f"{where}: region {w} not in {regions}")
    if "regions" in g:
        for x in regions:
            ok("regions precision", any(under(w, x) or under(x, w) for w in g["regions"]),
               f"{where}: region {x} is not where the news happened")
    for w in g.get("places", []):
        ok("places", any(under(w, x) for x in named), f"{where}: place {w} missing")
    for bad in g.get("not_places", []):
        ok("places precision", not any(under(bad, x) for x in named), f"{where}: false place {bad}")
    events = [unquote(x) for x in listify(meta.get("events"))]
    for w in g.get("events", []):
        ok("events", any(unquote(w) in e for e in events), f"{where}: event {w} not in {meta.get('events')!r}")
    caps = [fold(x) for x in listify(meta.get("captions"))]
    for w in g.get("captions", []):
        ok("captions", any(fold(w) in c for c in caps), f"{where}: caption {w} missing")
    if g.get("body_starts"):
        ok("body start", b.lstrip("#>*-").startswith(fold(g["body_starts"])), f"{where}: body starts {b[:30]!r}")
    for w in g.get("body_contains", []):
        ok("body text", fold(w) in b, f"{where}: body lacks {w[:30]}")
    for bad in g.get("body_excludes", []) + g.get("captions", []):
        ok("body clean", fold(bad) not in b, f"{where}: body holds {bad[:30]}")


def check_page(ok, site, gold, raw, records, teasers):
    mine = [r for r in records if r[0].get("source_file") == raw]
    used = set()
    for g in gold.get("articles", []):
        titles = {fold(g["title"])} | {fold(t) for t in listify(g.get("title_ok"))}
        hit = next((i for i, r in enumerate(mine) if i not in used and fold(r[0].get("title")) in titles), None)
        ok("article found", hit is not None, f"{raw}: no record titled {g['title']}")
        if hit is None:
            continue
        used.add(hit)
        check_article(ok, g, mine[hit][0], mine[hit][1], f"{raw} «{g['title'][:16]}»")
    for i, r in enumerate(mine):
        ok("no extra articles", i in used, f"{raw}: unexpected record {r[2]} titled {r[0].get('title')!r}")
    for cap in gold.get("page_captions", []):
        ok("body clean", all(fold(cap) not in fold(r[1]) for r in mine), f"{raw}: caption {cap} inside a body")
    for t in gold.get("teasers", []):
        found = any(unquote(t["title"]) in unquote((x.get("kicker") or "") + (x.get("title") or ""))
                    and x.get("page") == t["page"] for x in teasers.get(raw, []))
        ok("teasers", found, f"{raw}: teaser {t['title']} -> page {t['page']} missing")


def typography(ok, records):
    punct = re.compile(f"[{CJK}][,:;()!?][{CJK}]|[{CJK}][,:;()!?]$")
    spaced = re.compile(r"[。，、；：！？）」』”][ \t]+\S|\d[ \t]+[年月日个名家人余多]")
    for meta, body, path in records:
        bad = next((ln for ln in body.splitlines() if punct.search(ln) or spaced.search(ln)), None)
        ok("typography", bad is None, f"{path}: {(bad or '').strip()[:40]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--gold", default=os.path.join(HERE, "..", "gold"))
    ap.add_argument("--floor")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    records = []
    for p in sorted(glob.glob(os.path.join(a.site, "content", "articles", "**", "*.md"), recursive=True)):
        meta, body = load_record(p)
        records.append((meta or {}, body, os.path.relpath(p, a.site)))
    teasers = {}
    for p in glob.glob(os.path.join(a.site, "content", "articles", "**", "pages.yaml"), recursive=True):
        for pg in listify((yaml.safe_load(open(p, encoding="utf-8")) or {}).get("pages")):
            teasers.setdefault(pg.get("source_file"), []).extend(listify(pg.get("teasers")))
    ok = Tally()
    ok("records readable", bool(records) and all(r[0] for r in records), "records without front matter")
    pages = dict(line.rstrip("\n").split("\t") for line in open(os.path.join(a.gold, "pages.tsv"), encoding="utf-8")
                 if line.strip() and not line.startswith("#"))
    for gp in sorted(glob.glob(os.path.join(a.gold, "*.yaml"))):
        gold = yaml.safe_load(open(gp, encoding="utf-8"))
        check_page(ok, a.site, gold, pages[gold["source_file"]], records, teasers)
    typography(ok, records)
    for k, (p, t) in ok.kinds.items():
        print(f"{k:<18} {p:>4}/{t:<4} {100.0 * p / t:5.1f}%")
    if a.verbose:
        for f in ok.fails:
            print("  FAIL", f)
    print(f"overall {100.0 * ok.share():.1f}% of {sum(t for _, t in ok.kinds.values())} checks")
    if a.floor:
        floors = yaml.safe_load(open(a.floor, encoding="utf-8")) or {}
        low = [f"{k} {100 * ok.share(k if k != 'overall' else None):.1f}% < floor {100 * v:.1f}%"
               for k, v in floors.items() if (k == "overall" or k in ok.kinds)
               and ok.share(k if k != "overall" else None) + 1e-9 < v]
        for line in low:
            print("BELOW FLOOR:", line)
        return 1 if low else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
