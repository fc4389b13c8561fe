#!/usr/bin/env python3
"""The search index rebuilds incrementally.

Builds the sample site with its first four issues, then again unchanged
(no search file may be rewritten: same bytes, same mtime), then with the
fifth issue added: the new issue's articles come last in archive order, so
the entry of every token they do not contain stays byte for byte the same
(a shard changes only for the tokens of the new articles; on the small
sample every shard holds some).  Also checks that --threads 1 and the
default thread count write the same bytes."""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

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


def new_text(site, issue):
    d = os.path.join(site, "content", "articles", issue)
    return "".join(open(os.path.join(d, f), encoding="utf-8").read().lower()
                   for f in os.listdir(d) if f.endswith(".md"))


def build(site, *extra):
    r = subprocess.run([os.environ["NEWSPRINT"], "build", "--site", site, "--quiet"] +
                       list(extra))
    if r.returncode != 0:
        fail("newsprint build exited %d" % r.returncode)


def main():
    src = os.environ["NP_SOURCE_DIR"]
    tmp = tempfile.mkdtemp(prefix="np-search-inc-")
    try:
        site = os.path.join(tmp, "site")
        os.mkdir(site)
        for name in ("site.yaml", "themes", "templates"):
            p = os.path.join(src, name)
            if os.path.isdir(p):
                shutil.copytree(p, os.path.join(site, name))
            elif os.path.exists(p):
                shutil.copy(p, site)
        issues = sorted(os.listdir(os.path.join(src, "content", "issues")))
        for d in issues[:-1]:
            shutil.copytree(os.path.join(src, "content", "issues", d),
                            os.path.join(site, "content", "issues", d))
        public = os.path.join(site, "public")
        build(site)
        first = snapshot(public)
        shard_dir = os.path.join(public, "search", "shards")
        before = {f: entries(os.path.join(shard_dir, f)) for f in os.listdir(shard_dir)}
        build(site)
        if snapshot(public) != first:
            fail("an unchanged rebuild rewrote search files")
        print("ok: unchanged rebuild leaves all %d search files alone" % len(first))
        shutil.copytree(os.path.join(src, "content", "issues", issues[-1]),
                        os.path.join(site, "content", "issues", issues[-1]))
        build(site)
        second = snapshot(public)
        text, kept, moved = new_text(site, issues[-1]), 0, 0
        for f, old in before.items():
            new = entries(os.path.join(shard_dir, f))
            for tok, entry in old.items():
                if new.get(tok) == entry:
                    kept += 1
                    continue
                moved += 1
                bare = tok[2:] if tok[:2] in ("r:", "e:", "i:") else tok
                if bare not in text:
                    fail("token %r changed though issue %s does not hold it" % (tok, issues[-1]))
        if not moved:
            fail("adding issue %s changed no postings" % issues[-1])
        print("ok: adding issue %s changed %d token entries, kept %d byte for byte" %
              (issues[-1], moved, kept))
        one = os.path.join(tmp, "one")
        build(site, "--out", one, "--threads", "1")
        a = {k: v[0] for k, v in snapshot(one).items()}
        b = {k: v[0] for k, v in second.items()}
        if a != b:
            fail("--threads 1 wrote other bytes: %s" % sorted(k for k in a if a[k] != b.get(k)))
        print("ok: --threads 1 writes the same %d files" % len(a))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
