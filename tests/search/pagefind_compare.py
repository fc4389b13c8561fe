#!/usr/bin/env python3
"""Side by side: newsprint's search index and Pagefind's on the sample site.

Not part of ctest (it needs npm).  Installs pagefind (npm) under
tests/search/node_modules on first use, builds the sample site with
$NEWSPRINT, indexes its article pages with Pagefind, then prints for both
the file count and bytes of the index, and for a few queries the number of
articles found and the bytes fetched (Pagefind: measured by the browser;
newsprint: meta + shards + docs/ of the first page, without the article
pages fetched for snippets) next to the truth from a plain substring scan.

Usage: NEWSPRINT=build/newsprint NP_SOURCE_DIR=. tests/search/pagefind_compare.py"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = ["乡村振兴", "牵手计划", "社会工作", "振兴", "社工站"]

PROBE = """<!DOCTYPE html><meta charset="utf-8"><pre id="out">x</pre><script type="module">
const pf = await import("./pagefind/pagefind.js");
await pf.init();
const out = {};
for (const q of %s) {
  performance.clearResourceTimings();
  const r = await pf.search(q);
  const urls = [];
  for (const x of r.results.slice(0, 10)) urls.push((await x.data()).url);
  const bytes = performance.getEntriesByType("resource")
      .reduce((s, e) => s + e.transferSize, 0);
  out[q] = {n: r.results.length, bytes};
}
document.getElementById("out").textContent = JSON.stringify(out);
</script>"""


# Waits for the probe page to finish (--dump-dom cannot: Pagefind's wasm
# compiles outside Chromium's virtual time).
RUNNER = """const { chromium } = require('playwright-core');
(async () => {
  const b = await chromium.launch({executablePath: '%s', args: ['--no-sandbox', '--disable-gpu']});
  const p = await b.newPage();
  await p.goto(process.argv[2]);
  await p.waitForFunction(() => document.getElementById('out').textContent !== 'x', null,
                          {timeout: 60000});
  console.log(await p.textContent('#out'));
  await b.close();
})();
"""


def pagefind_bin():
    exe = os.path.join(HERE, "node_modules", ".bin", "pagefind")
    if not os.path.exists(exe):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", HERE,
                        "pagefind@1.6.0", "playwright-core"], check=True)
    return exe


def probe(tmp, url):
    js = os.path.join(tmp, "probe.js")
    with open(js, "w") as f:
        f.write(RUNNER % browser.CHROMIUM)
    env = dict(os.environ, NODE_PATH=os.path.join(HERE, "node_modules"))
    r = subprocess.run(["node", js, url], capture_output=True, text=True, env=env, timeout=180)
    return json.loads(r.stdout) if r.returncode == 0 else {}


def tree_size(path):
    files = total = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            files += 1
            total += os.path.getsize(os.path.join(dirpath, n))
    return files, total


def main():
    tmp = tempfile.mkdtemp(prefix="np-pagefind-")
    try:
        site = browser.build_site(tmp)
        public = os.path.join(site, "public")
        recs = browser.records(site)
        subprocess.run([pagefind_bin(), "--site", public, "--glob", "articles/**/*.html",
                        "--force-language", "zh"], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(public, "pf.html"), "w", encoding="utf-8") as f:
            f.write(PROBE % json.dumps(QUERIES, ensure_ascii=False))
        httpd = browser.serve(public)
        base = "http://127.0.0.1:%d/" % httpd.server_address[1]
        pf = probe(tmp, base + "pf.html")
        nf, nb = tree_size(os.path.join(public, "search"))
        pf_files, pf_bytes = tree_size(os.path.join(public, "pagefind"))
        print("%-12s %8s %10s" % ("index", "files", "bytes"))
        print("%-12s %8d %10d" % ("newsprint", nf, nb))
        print("%-12s %8d %10d  (incl. its wasm + js)" % ("pagefind", pf_files, pf_bytes))
        print("\nquery: articles holding it (truth), found by newsprint and by Pagefind;"
              " bytes Pagefind fetched for that query (the first includes its wasm)")
        for q in QUERIES:
            status, got, _ = browser.search(tmp, base, q=q)
            r = pf.get(q, {})
            print("  %s\ttruth %d\tnewsprint %d\tpagefind %s\tpf bytes %s" % (
                q, len(browser.expected(recs, q)), len(got) if len(got) < 10 else
                int("".join(c for c in status.split("篇")[0] if c.isdigit()) or 0),
                r.get("n", "?"), r.get("bytes", "?")))
        httpd.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
