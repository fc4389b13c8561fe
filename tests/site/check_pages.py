#!/usr/bin/env python3
"""Every region (at every level of its path) and every event named by any
record has its page in public/; every HTML page has exactly one <h1>, is
lang="zh-CN" with a skip link and a <main>, and loads nothing from another
host (no absolute src, stylesheet or icon; no url(http…) or @import in CSS).

usage: check_pages.py SITE
"""
import glob
import os
import re
import sys
from html.parser import HTMLParser


class H1(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.n, self.inside, self.texts, self.text = 0, False, [], ""
        self.external, self.lang, self.main, self.skip = [], None, False, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h1":
            self.n += 1
            self.inside = True
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "main":
            self.main = True
        if tag == "a" and a.get("href", "").startswith("#main"):
            self.skip = True
        loads = a.get("src") or (a.get("href") if tag == "link" and
                                 a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload") else None)
        if loads and re.match(r"^(https?:)?//", loads):
            self.external.append(loads)

    def handle_endtag(self, tag):
        if tag == "h1":
            self.inside = False
            self.texts.append(self.text.strip())
            self.text = ""

    def handle_data(self, data):
        if self.inside:
            self.text += data


def front_matter(path):
    text = open(path, encoding="utf-8").read()
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return m.group(1) if m else ""


def flow_list(fm, key):
    m = re.search(r"^%s: \[(.*)\]$" % key, fm, re.M)
    if not m or not m.group(1).strip():
        return []
    return [x.strip().strip('"\'') for x in m.group(1).split(",") if x.strip()]


def main():
    site = sys.argv[1]
    pub = os.path.join(site, "public")
    bad = 0
    pages = {}
    for f in glob.glob(os.path.join(pub, "**", "*.html"), recursive=True):
        p = H1()
        p.feed(open(f, encoding="utf-8").read())
        rel = os.path.relpath(f, pub)
        if p.n != 1 or not p.texts[0]:
            print("%s: %d <h1> elements" % (rel, p.n))
            bad += 1
        for u in p.external:
            print("%s: loads %s from another host" % (rel, u))
            bad += 1
        if p.lang != "zh-CN" or not p.main or not p.skip:
            print("%s: lang=%r, main=%s, skip link=%s" % (rel, p.lang, p.main, p.skip))
            bad += 1
        pages[os.path.relpath(f, pub)] = p.texts[0] if p.texts else ""
    for css in glob.glob(os.path.join(pub, "**", "*.css"), recursive=True):
        if re.search(r"url\(\s*['\"]?(https?:)?//|@import", open(css, encoding="utf-8").read()):
            print("%s: loads from another host" % os.path.relpath(css, pub))
            bad += 1
    region_titles = {t for k, t in pages.items() if k.startswith("regions/") and k != "regions/index.html"}
    event_titles = {t for k, t in pages.items() if k.startswith("events/") and k != "events/index.html"}
    for md in glob.glob(os.path.join(site, "content/articles/**/*.md"), recursive=True):
        fm = front_matter(md)
        for path in flow_list(fm, "regions") + flow_list(fm, "places"):
            for name in path.split("/"):
                if name not in region_titles:
                    print("%s: no region page for %s (in %s)" % (os.path.basename(md), name, path))
                    bad += 1
        for ev in flow_list(fm, "events"):
            if not any(ev in t or t in ev for t in event_titles):
                print("%s: no event page for %s" % (os.path.basename(md), ev))
                bad += 1
    print("%d pages, %d region pages, %d event pages, %d problems"
          % (len(pages), len(region_titles), len(event_titles), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
