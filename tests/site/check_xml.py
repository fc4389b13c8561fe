#!/usr/bin/env python3
"""Feeds, sitemaps and robots.txt of a built site.

Every *.xml named feed.xml must be an Atom feed (RFC 4287): feed with id,
title, updated, a rel=self link; every entry with id, title, updated and a
link; all ids and links absolute; dates RFC 3339; the site feed has at
least one entry.  sitemap.xml is a urlset (or a sitemapindex whose parts
exist) of absolute URLs that map to existing pages.  robots.txt names the
sitemap.

usage: check_xml.py PUBLIC
"""
import glob
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
problems = []


def need(cond, msg):
    if not cond:
        problems.append(msg)


def absolute(u):
    p = urllib.parse.urlsplit(u or "")
    return p.scheme in ("http", "https") and p.netloc


def check_entryish(el, where):
    for tag in ("id", "title", "updated"):
        x = el.find(A + tag)
        need(x is not None and (x.text or "").strip(), "%s: no <%s>" % (where, tag))
    up = el.find(A + "updated")
    if up is not None:
        need(RFC3339.match(up.text or ""), "%s: updated %r is not RFC 3339" % (where, up.text))
    idv = el.find(A + "id")
    if idv is not None:
        need(absolute(idv.text), "%s: id %r not absolute" % (where, idv.text))
    for link in el.findall(A + "link"):
        need(absolute(link.get("href")), "%s: link %r not absolute" % (where, link.get("href")))


def check_feed(path, rel):
    root = ET.parse(path).getroot()
    need(root.tag == A + "feed", "%s: root is %s, not Atom feed" % (rel, root.tag))
    check_entryish(root, rel)
    need(any(l.get("rel") == "self" for l in root.findall(A + "link")), rel + ": no rel=self")
    entries = root.findall(A + "entry")
    for i, e in enumerate(entries):
        check_entryish(e, "%s entry %d" % (rel, i + 1))
        need(e.find(A + "link") is not None, "%s entry %d: no link" % (rel, i + 1))
        # without a feed-level author every entry needs one (RFC 4287 4.1.1)
        need(root.find(A + "author") is not None or e.find(A + "author") is not None,
             "%s entry %d: no author" % (rel, i + 1))
    return len(entries)


def page_of(pub, base, url):
    need(url.startswith(base), "sitemap url %s not under %s" % (url, base))
    rel = url[len(base):]
    f = os.path.join(pub, rel, "index.html") if rel == "" or rel.endswith("/") else os.path.join(pub, rel)
    need(os.path.isfile(f), "sitemap url %s: no such page" % url)


def check_sitemap(pub, base):
    root = ET.parse(os.path.join(pub, "sitemap.xml")).getroot()
    n = 0
    if root.tag == SM + "sitemapindex":
        for loc in root.iter(SM + "loc"):
            part = os.path.join(pub, loc.text[len(base):])
            need(os.path.isfile(part), "sitemap part %s missing" % loc.text)
            for u in ET.parse(part).getroot().iter(SM + "loc"):
                page_of(pub, base, u.text)
                n += 1
    else:
        need(root.tag == SM + "urlset", "sitemap.xml root is %s" % root.tag)
        for u in root.iter(SM + "loc"):
            page_of(pub, base, u.text)
            n += 1
    need(n <= 50000 or root.tag == SM + "sitemapindex", "more than 50,000 URLs in one sitemap")
    return n


def main():
    pub = sys.argv[1]
    feeds = glob.glob(os.path.join(pub, "**", "feed.xml"), recursive=True)
    need(os.path.join(pub, "feed.xml") in feeds, "no site feed")
    entries = 0
    for f in feeds:
        entries += check_feed(f, os.path.relpath(f, pub))
    site_feed = ET.parse(os.path.join(pub, "feed.xml")).getroot()
    need(len(site_feed.findall(A + "entry")) > 0, "site feed has no entries")
    base = site_feed.find(A + "author") is not None and [l.get("href") for l in site_feed.findall(A + "link") if l.get("rel") == "alternate"][0]
    robots = open(os.path.join(pub, "robots.txt"), encoding="utf-8").read()
    need(("Sitemap: %ssitemap.xml" % base) in robots, "robots.txt does not name %ssitemap.xml" % base)
    urls = check_sitemap(pub, base)
    for p in problems:
        print(p)
    print("%d feeds (%d entries), sitemap %d URLs, %d problems" % (len(feeds), entries, urls, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
