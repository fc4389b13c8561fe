#!/usr/bin/env python3
"""The search index rebuilds incrementally (docs/search.md, "Rebuilds").

With a granule of 8 articles (NEWSPRINT_SEARCH_SEGMENT; the sample is far
too small for the default), builds the sample site with its first four
issues (10 articles: a base of 8, a tail of 2), then again unchanged (no
search file may be rewritten: same bytes, same mtime), then with the fifth
issue added (13 articles, the same base): the base's files (shards/, hot/)
keep their bytes and mtime, only the tail and the small files change, and
the index equals a build from scratch byte for byte, and answers every
token as a single-segment index of the same site (postings of base and
tail together: documents and heading flags).  Then an edit to an article
of the base: the next build writes the base again, again as a build from
scratch.  Also checks that --threads 1 and the default thread count write
the same bytes."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sitecopy import copy_site_config  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def snapshot(public):
    out = {}
    root = os.path.join(public, "search")
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = (hashlib.sha256(f.read()).hexdigest(),
                                                 os.stat(p).st_mtime_ns)
    return out


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def entries(path):
    """token -> entry bytes of a shard file (layout: src/search/postings.c)."""
    b = open(path, "rb").read()
    if b[:4] != b"NPS1":
        fail(path + ": no NPS1 magic")
    out, i = {}, 4
    while i < len(b):
        start = i
        tl, i = varint(b, i)
        tok = b[i:i + tl].decode("utf-8")
        i += tl
        _, i = varint(b, i)
        i += 1
        pl, i = varint(b, i)
        i += pl
        out[tok] = b[start:i]
    return out


def heads(b, i, out):
    nh, i = varint(b, i)
    doc = -1
    for _ in range(nh):
        g, i = varint(b, i)
        doc += g + 1
        out[doc] = 1


def postings(entry):
    """doc -> heading bit of one entry (list, bitmap or absent form)."""
    i = 0
    tl, i = varint(entry, i)
    i += tl
    _, i = varint(entry, i)
    kind = entry[i]
    i += 1
    pl, i = varint(entry, i)
    b, out = entry[i:i + pl], {}
    if kind == 0:
        j, doc = 0, -1
        while j < len(b):
            v, j = varint(b, j)
            doc += (v >> 3) + 1
            out[doc] = (v >> 2) & 1
    elif kind == 1:
        nb, j = varint(b, 0)
        for d in range(nb * 8):
            if b[j + d // 8] & (1 << (d % 8)):
                out[d] = 0
        heads(b, j + nb, out)
    else:
        r, j = varint(b, 0)
        na, j = varint(b, j)
        gone, absent = -1, set()
        for _ in range(na):
            g, j = varint(b, j)
            gone += g + 1
            absent.add(gone)
        for d in range(r):
            if d not in absent:
                out[d] = 0
        heads(b, j, out)
    return out


def answers(public):
    """token -> sorted [(doc, heading)] over every segment of an index."""
    root = os.path.join(public, "search")
    out = {}
    for seg in ("", "tail/"):
        for sub in ("shards", "hot"):
            d = os.path.join(root, seg + sub)
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                for tok, e in entries(os.path.join(d, f)).items():
                    out.setdefault(tok, {}).update(postings(e))
    return {t: sorted(p.items()) for t, p in out.items()}


def fresh_build(site, tmp, label, env=None):
    """A build from scratch of a copy of site's records; its output."""
    fresh = os.path.join(tmp, "fresh-" + label)
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public"))
    for f in os.listdir(os.path.join(fresh, ".newsprint")):
        if f.startswith(("search", "outputs", "build-stamp")):
            os.remove(os.path.join(fresh, ".newsprint", f))
    r = subprocess.run([os.environ["NEWSPRINT"], "build", "--site", fresh, "--quiet"], env=env)
    if r.returncode != 0:
        fail("newsprint build exited %d" % r.returncode)
    return os.path.join(fresh, "public")


def same_as_fresh(public, site, tmp, label):
    """public's index is a fresh build's, byte for byte, and answers every
    token as a single-segment index of the same records."""
    fp = fresh_build(site, tmp, label)
    a = {k: v[0] for k, v in snapshot(public).items()}
    b = {k: v[0] for k, v in snapshot(fp).items()}
    if a != b:
        fail("%s: search files differ from a fresh build: %s" %
             (label, sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))))
    one = fresh_build(site, tmp, label + "-one",
                      dict(os.environ, NEWSPRINT_SEARCH_SEGMENT="1048576"))
    meta = json.load(open(os.path.join(one, "search", "meta.json")))
    if meta["tail"] is not None or meta["base"] != meta["docs"]:
        fail("a single-segment build has a tail: %r" % meta)
    x, y = answers(public), answers(one)
    if x != y:
        diff = sorted(t for t in set(x) | set(y) if x.get(t) != y.get(t))
        fail("%s: %d tokens answer otherwise than in one segment, e.g. %r" %
             (label, len(diff), diff[:5]))
    print("ok: %s: the %d search files of a fresh build; all %d tokens answer as in one "
          "segment" % (label, len(a), len(x)))
    return fp


def build(site, *extra):
    r = subprocess.run([os.environ["NEWSPRINT"], "build", "--site", site, "--quiet"] +
                       list(extra))
    if r.returncode != 0:
        fail("newsprint build exited %d" % r.returncode)


def main():
    src = os.environ["NP_SOURCE_DIR"]
    os.environ["NEWSPRINT_SEARCH_SEGMENT"] = "8"
    tmp = tempfile.mkdtemp(prefix="np-search-inc-")
    try:
        site = os.path.join(tmp, "site")
        os.mkdir(site)
        copy_site_config(src, site)
        issues = sorted(os.listdir(os.path.join(src, "content", "issues")))
        for d in issues[:-1]:
            shutil.copytree(os.path.join(src, "content", "issues", d),
                            os.path.join(site, "content", "issues", d))
        public = os.path.join(site, "public")
        build(site)
        first = snapshot(public)
        meta0 = json.load(open(os.path.join(public, "search", "meta.json")))
        if not meta0["tail"] or meta0["base"] != 8:
            fail("no base of 8 and a tail: %r" % meta0)
        build(site)
        if snapshot(public) != first:
            fail("an unchanged rebuild rewrote search files")
        print("ok: unchanged rebuild leaves all %d search files alone" % len(first))
        shutil.copytree(os.path.join(src, "content", "issues", issues[-1]),
                        os.path.join(site, "content", "issues", issues[-1]))
        build(site)
        second = snapshot(public)
        meta = json.load(open(os.path.join(public, "search", "meta.json")))
        if meta["base"] != meta0["base"] or not meta["tail"] or meta["docs"] <= meta0["docs"]:
            fail("adding issue %s did not keep the base: %r" % (issues[-1], meta))
        kept = [f for f in first if f.startswith(("shards/", "hot/"))]
        changed = [f for f in kept if second.get(f) != first[f]]
        if changed or not kept:
            fail("adding issue %s rewrote base files %s" % (issues[-1], changed[:5]))
        tail = [f for f in second if f.startswith("tail/") and second[f] != first.get(f)]
        print("ok: adding issue %s (%d articles) kept the %d base files, rewrote %d tail files"
              % (issues[-1], meta["docs"] - meta0["docs"], len(kept), len(tail)))
        fresh = same_as_fresh(public, site, tmp, "base + tail")
        one = os.path.join(tmp, "one")
        build(os.path.join(tmp, "fresh-base + tail"), "--out", one, "--threads", "1")
        a = {k: v[0] for k, v in snapshot(one).items()}
        b = {k: v[0] for k, v in snapshot(fresh).items()}
        if a != b:
            fail("--threads 1 wrote other bytes: %s" % sorted(k for k in a if a[k] != b.get(k)))
        print("ok: --threads 1 writes the same %d files" % len(a))
        # An edit in the base: the next build writes the base again.
        d = os.path.join(site, "content", "articles", issues[0])
        rec = sorted(f for f in os.listdir(d) if f.endswith(".md"))[0]
        text = open(os.path.join(d, rec), encoding="utf-8").read()
        open(os.path.join(d, rec), "w", encoding="utf-8").write(text + "\n量子纠缠实验室。\n")
        build(site)
        third = snapshot(public)
        if not any(third.get(f) != second[f] for f in kept):
            fail("an edit in the base changed no base file")
        same_as_fresh(public, site, tmp, "after an edit in the base")
        if "量子" not in answers(public):
            fail("the edit is not in the index")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
