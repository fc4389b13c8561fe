#!/usr/bin/env python3
"""End-to-end search test in headless Chromium.

Builds a copy of the sample site with $NEWSPRINT, serves its output on
127.0.0.1 (an in-process http.server on a free port), loads search pages
with `chromium --dump-dom` after the page's JavaScript ran, and checks:

  - search/?q=乡村振兴 and ?q=牵手计划 list exactly the articles whose
    record holds the query as a substring (plain scan of the searchable
    fields of content/articles/*.md: title, kicker, subtitle, authors, body);
  - a query with no match says so;
  - a region filter narrows the list to the articles reported from there,
    a date range to the articles dated in it, an event filter to a subset;
  - a quoted phrase matches as a phrase.

Usage: browser.py [--keep DIR] [--screenshot PNG]; exit 77 = skipped."""
import argparse
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sitecopy import copy_site_config  # noqa: E402
import threading
import urllib.parse

import yaml

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def build_site(tmp):
    src = os.environ["NP_SOURCE_DIR"]
    site = os.path.join(tmp, "site")
    os.mkdir(site)
    copy_site_config(src, site)
    shutil.copytree(os.path.join(src, "content"), os.path.join(site, "content"))
    r = subprocess.run([os.environ["NEWSPRINT"], "build", "--site", site, "--quiet"])
    if r.returncode != 0:
        fail("newsprint build exited %d" % r.returncode)
    return site


def records(site):
    """Every record as (slug, searchable text, regions, date or None)."""
    out = []
    root = os.path.join(site, "content", "articles")
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith(".md"):
                continue
            text = open(os.path.join(dirpath, f), encoding="utf-8").read()
            _, fm, body = text.split("---\n", 2)
            meta = yaml.safe_load(fm)
            fields = [meta.get(k) or "" for k in ("title", "kicker", "subtitle")]
            fields.append("、".join(meta.get("authors") or []))
            date = meta.get("date")
            out.append((meta["slug"], "\n".join(str(x) for x in fields) + "\n" + body,
                        meta.get("regions") or [], str(date) if date else None))
    return out


def recs_of(site, issue):
    """(slug, title) of the records of one issue."""
    d = os.path.join(site, "content", "articles", issue)
    out = []
    for f in sorted(os.listdir(d)):
        if f.endswith(".md"):
            meta = yaml.safe_load(open(os.path.join(d, f), encoding="utf-8").read()
                                  .split("---\n", 2)[1])
            out.append((meta["slug"], str(meta.get("title") or "")))
    return out


def tail_site(tmp, env):
    """A copy of the sample site built without its last issue, then with
    it (env sets a granule small enough for the sample to have a tail
    segment, whose base the second build keeps).  Returns the output
    folder."""
    src = os.environ["NP_SOURCE_DIR"]
    site = os.path.join(tmp, "tail-site")
    os.mkdir(site)
    copy_site_config(src, site)
    issues = sorted(os.listdir(os.path.join(src, "content", "issues")))
    for d in (issues[:-1], issues[-1:]):
        for i in d:
            shutil.copytree(os.path.join(src, "content", "issues", i),
                            os.path.join(site, "content", "issues", i))
        r = subprocess.run([os.environ["NEWSPRINT"], "build", "--site", site, "--quiet"], env=env)
        if r.returncode != 0:
            fail("tail site: newsprint build exited %d" % r.returncode)
    meta = json.load(open(os.path.join(site, "public", "search", "meta.json")))
    if not meta["tail"]:
        fail("tail site: no tail segment: %r" % meta)
    return os.path.join(site, "public")


def expected(recs, q, region=None, dates=None):
    def in_region(regions):
        return region is None or any(r == region or r.startswith(region + "/") for r in regions)

    def in_dates(date):
        return dates is None or (date is not None and dates[0] <= date <= dates[1])
    return {slug for slug, text, regs, date in recs
            if q in text and in_region(regs) and in_dates(date)}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = functools.partial(Quiet, directory=directory)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def chromium(tmp, url, extra):
    profile = tempfile.mkdtemp(dir=tmp, prefix="profile-")
    cmd = [CHROMIUM] + FLAGS + ["--user-data-dir=" + profile, "--virtual-time-budget=5000"]
    r = subprocess.run(cmd + extra + [url], capture_output=True, timeout=120)
    return r.stdout.decode("utf-8", "replace")


def search(tmp, base, **params):
    url = base + "search/?" + urllib.parse.urlencode(params)
    dom = chromium(tmp, url, ["--dump-dom"])
    m = re.search(r'id="search-status"[^>]*>(.*?)</p>', dom, re.S)
    status = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) if m else ""
    hrefs = re.findall(r'<a class="hit-title" href="([^"]+)"', dom)
    slugs = {h.rstrip("/").split("/")[-1] for h in hrefs}
    if len(slugs) != len(hrefs):
        fail("%s: an article listed twice" % url)
    return status, slugs, dom


def check_query(tmp, base, recs, q, region=None, dates=None):
    params = {"q": q}
    if region:
        params["region"] = region
    if dates:
        params["from"], params["to"] = dates
    status, got, _ = search(tmp, base, **params)
    want = expected(recs, q.strip('"'), region, dates)
    label = q + (" region=" + region if region else "") + (" dates=%s..%s" % dates if dates else "")
    if not want:
        fail("%s: the sample has no article with it; pick another query" % label)
    if got != want:
        fail("%s: listed %s, records holding it %s (status %r)" %
             (label, sorted(got), sorted(want), status))
    if ("找到 %d 篇" % len(want)) not in status:
        fail("%s: status %r does not count %d" % (label, status, len(want)))
    print("ok: %s -> %d articles" % (label, len(got)))
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", help="build the site here and keep it")
    ap.add_argument("--screenshot", help="save a PNG of the results page")
    args = ap.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        print("skip: no " + CHROMIUM)
        return 77
    tmp = args.keep or tempfile.mkdtemp(prefix="np-search-")
    os.makedirs(tmp, exist_ok=True)
    try:
        site = build_site(tmp)
        recs = records(site)
        httpd = serve(os.path.join(site, "public"))
        base = "http://127.0.0.1:%d/" % httpd.server_address[1]
        all_hits = check_query(tmp, base, recs, "乡村振兴")
        check_query(tmp, base, recs, "牵手计划")
        check_query(tmp, base, recs, '"社会工作服务"')
        status, got, _ = search(tmp, base, q="量子纠缠计算机")
        if got or "没有找到" not in status:
            fail("no-match query: status %r, %d results" % (status, len(got)))
        print("ok: no-match query says %r" % status)
        regions = sorted({r.split("/")[0] for slug, _, regs, _ in recs if slug in all_hits
                          for r in regs})
        narrowed = check_query(tmp, base, recs, "乡村振兴", region=regions[0])
        if not narrowed < all_hits:
            fail("region filter %s did not narrow the list" % regions[0])
        print("ok: region %s narrows %d -> %d" % (regions[0], len(all_hits), len(narrowed)))
        dated = sorted(d for slug, _, _, d in recs if slug in all_hits and d)
        window = (dated[0], dated[len(dated) // 2])
        in_window = check_query(tmp, base, recs, "乡村振兴", dates=window)
        if not in_window < all_hits:
            fail("date range %s..%s did not narrow the list" % window)
        facets = json.load(open(os.path.join(site, "public", "search", "facets.json")))
        event = max(facets["events"], key=lambda e: e[1])[0]
        _, by_event, _ = search(tmp, base, q="乡村振兴", event=event)
        if not by_event or not by_event <= all_hits:
            fail("event filter %s: %s of %s" % (event, sorted(by_event), sorted(all_hits)))
        print("ok: event %s: %d of %d" % (event, len(by_event), len(all_hits)))
        httpd.shutdown()
        # Again with hot/ files (tokens with a file of their own), which
        # the sample is too small to get by itself.
        env = dict(os.environ, NEWSPRINT_SEARCH_HOT_MIN="8")
        hot_out = os.path.join(tmp, "public-hot")
        r = subprocess.run([os.environ["NEWSPRINT"], "build", "--site", site, "--quiet",
                            "--out", hot_out], env=env)
        meta = json.load(open(os.path.join(hot_out, "search", "meta.json")))
        if r.returncode != 0 or not meta["hot"]:
            fail("rebuild with hot tokens: exit %d, %d hot" % (r.returncode, len(meta["hot"])))
        httpd = serve(hot_out)
        base = "http://127.0.0.1:%d/" % httpd.server_address[1]
        check_query(tmp, base, recs, "乡村振兴")
        check_query(tmp, base, recs, "牵手计划", region=regions[0])
        print("ok: with %d hot tokens" % len(meta["hot"]))
        httpd.shutdown()
        # Again with a tail segment: the site built without its last
        # issue, then with it (the new articles go to search/tail/).
        httpd = serve(tail_site(tmp, dict(env, NEWSPRINT_SEARCH_SEGMENT="8")))
        base = "http://127.0.0.1:%d/" % httpd.server_address[1]
        last = sorted(os.listdir(os.path.join(site, "content", "issues")))[-1]
        newest = recs_of(site, last)
        title = re.sub(r"[^\u4e00-\u9fff]", "", newest[0][1])[:4]
        got = check_query(tmp, base, recs, title)
        if newest[0][0] not in got:
            fail("tail: %s not found by %s" % (newest[0][0], title))
        check_query(tmp, base, recs, "乡村振兴")
        check_query(tmp, base, recs, "牵手计划", region=regions[0])
        print("ok: with a tail segment of issue %s" % last)
        if args.screenshot:
            url = base + "search/?" + urllib.parse.urlencode({"q": "乡村振兴"})
            chromium(tmp, url, ["--screenshot=" + os.path.abspath(args.screenshot),
                                "--window-size=1000,1600", "--hide-scrollbars"])
        httpd.shutdown()
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
