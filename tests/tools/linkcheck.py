#!/usr/bin/env python3
"""Check every internal link, anchor and asset of a built site, and how many clicks the article
pages are from the home page.

usage: linkcheck.py PUBLIC [--max-depth N] [--expect-articles N]

Internal links are relative (no scheme, no leading '/'). A link to a folder means its index.html.
Exits 1 on any broken link or anchor, on an article page deeper than --max-depth clicks from
index.html, or when the number of article pages differs from --expect-articles.
"""
import argparse
import collections
import os
import sys
import urllib.parse
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        for k in ("href", "src"):
            if a.get(k) is not None and not (tag == "link" and a.get("rel") in ("canonical", "alternate") and "://" in a[k]):
                self.links.append((tag, a[k]))


def parse(path, cache):
    if path not in cache:
        p = Page()
        with open(path, encoding="utf-8") as f:
            p.feed(f.read())
        cache[path] = p
    return cache[path]


def resolve(root, page, link):
    u = urllib.parse.urlsplit(link)
    if u.scheme or u.netloc or link.startswith("/") or link.startswith("#") and not u.path:
        return None if (u.scheme or u.netloc or link.startswith("/")) else (page, u.fragment)
    target = os.path.normpath(os.path.join(os.path.dirname(page), urllib.parse.unquote(u.path)))
    if os.path.isdir(target):
        target = os.path.join(target, "index.html")
    return target, u.fragment


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("public")
    ap.add_argument("--max-depth", type=int)
    ap.add_argument("--expect-articles", type=int)
    a = ap.parse_args()
    root = os.path.abspath(a.public)
    cache, broken, absolute = {}, [], []
    pages = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".html")]
    for page in sorted(pages):
        for tag, link in parse(page, cache).links:
            if link.startswith("/") and not link.startswith("//"):
                absolute.append(f"{os.path.relpath(page, root)}: {link} (site-absolute; must be relative)")
                continue
            r = resolve(root, page, link)
            if r is None:
                continue
            target, frag = r
            if not target.startswith(root + os.sep) and target != root:
                broken.append(f"{os.path.relpath(page, root)}: {link} leaves the site")
            elif not os.path.isfile(target):
                broken.append(f"{os.path.relpath(page, root)}: {link} -> missing {os.path.relpath(target, root)}")
            elif frag and target.endswith(".html") and frag not in parse(target, cache).ids:
                broken.append(f"{os.path.relpath(page, root)}: {link} -> no anchor #{frag}")
    # Click depth from the home page.
    home = os.path.join(root, "index.html")
    depth = {home: 0}
    queue = collections.deque([home])
    while queue:
        page = queue.popleft()
        if not page.endswith(".html") or not os.path.isfile(page):
            continue
        for tag, link in parse(page, cache).links:
            if tag != "a":
                continue
            r = resolve(root, page, link)
            if r and r[0] not in depth and os.path.isfile(r[0]):
                depth[r[0]] = depth[page] + 1
                queue.append(r[0])
    articles = [p for p in pages if os.path.relpath(p, root).startswith("articles" + os.sep)]
    deep = [f"{os.path.relpath(p, root)}: {depth.get(p, 'unreachable')} clicks" for p in articles
            if a.max_depth is not None and (p not in depth or depth[p] > a.max_depth)]
    print(f"{len(pages)} HTML pages, {sum(len(parse(p, cache).links) for p in pages)} links, "
          f"{len(broken)} broken, {len(absolute)} site-absolute, {len(articles)} article pages, "
          f"deepest article {max((depth.get(p, 99) for p in articles), default=0)} clicks")
    for line in broken + absolute + deep:
        print("  " + line)
    bad = broken or absolute or deep
    if a.expect_articles is not None and len(articles) != a.expect_articles:
        print(f"  expected {a.expect_articles} article pages")
        bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
