#!/usr/bin/env python3
"""Integration test of `newsprint serve` on 127.0.0.1.

Runs the server on a temporary copy of the sample site (port 0: the system
picks a free port, read back from the URL the server prints), checks its
HTTP answers -- MIME types, 404 page, directory redirect, 304, HEAD, Range,
405, bounded headers, every traversal attempt refused -- then edits a
record's title and polls the article's URL until the rebuilt page shows it,
and finally stops the server with SIGINT and expects exit status 0 and no
temporary files left behind.

Environment: NEWSPRINT (the binary), NP_SOURCE_DIR (the repository).
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

NEWSPRINT = os.environ["NEWSPRINT"]
SRC = os.environ["NP_SOURCE_DIR"]
SCRIPT_TAG = b'<script src="/__newsprint/reload.js"></script>\n'
FAILURES = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILURES.append(what)


def request(port, method, path, headers=None, body=None):
    """One request on a fresh connection; the path is sent exactly as given."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    c.putheader("Host", "127.0.0.1")
    for k, v in (headers or {}).items():
        c.putheader(k, v)
    if body is not None:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def start(site, err):
    p = subprocess.Popen([NEWSPRINT, "serve", "--site", site, "--port", "0", "--quiet"],
                         stdout=subprocess.PIPE, stderr=err, text=True)
    deadline = time.time() + 240
    lines = []
    while time.time() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
        if m:
            threading.Thread(target=lambda: [lines.append(l) for l in p.stdout], daemon=True).start()
            return p, int(m.group(1)), lines
    p.kill()
    sys.exit("server did not print its URL:\n" + "".join(lines))


def test_types(port, out):
    s, h, b = request(port, "GET", "/")
    check(s == 200 and h.get("content-type") == "text/html; charset=utf-8", "GET / is UTF-8 HTML")
    check(SCRIPT_TAG in b, "HTML gets the reload script")
    s, h, b = request(port, "GET", "/static/style.css")
    check(s == 200 and h.get("content-type") == "text/css; charset=utf-8", "CSS type")
    check(b == open(os.path.join(out, "static/style.css"), "rb").read(), "CSS served verbatim")
    for rel, want in [("probe/img.png", "image/png"), ("probe/data.json", "application/json; charset=utf-8"),
                      ("probe/feed.xml", "application/xml; charset=utf-8"),
                      ("probe/app.js", "text/javascript; charset=utf-8"),
                      ("probe/big.bin", "application/octet-stream")]:
        s, h, _ = request(port, "GET", "/" + rel)
        check(s == 200 and h.get("content-type") == want, "type of %s is %s" % (rel, want))
    s, h, b = request(port, "GET", "/__newsprint/reload.js")
    check(s == 200 and b"EventSource" in b, "reload script served")


def test_missing_and_dirs(port, out):
    page = open(os.path.join(out, "404.html"), "rb").read()
    s, h, b = request(port, "GET", "/no/such/page.html")
    check(s == 404 and b.replace(SCRIPT_TAG, b"") == page, "404 with the body of 404.html")
    s, h, _ = request(port, "GET", "/issues")
    check(s == 301 and h.get("location") == "/issues/", "/issues redirects to /issues/")
    s, h, b = request(port, "GET", "/issues/")
    want = open(os.path.join(out, "issues/index.html"), "rb").read()
    check(s == 200 and b.replace(SCRIPT_TAG, b"") == want, "/issues/ serves issues/index.html")
    s, h, _ = request(port, "GET", "//evil.example/issues")
    check(s in (301, 404) and not h.get("location", "").startswith("//"), "no open redirect")


def test_conditional(port, path):
    s, h, b = request(port, "GET", path)
    etag, lm = h.get("etag"), h.get("last-modified")
    check(s == 200 and etag and lm, "article has ETag and Last-Modified")
    s, _, b2 = request(port, "GET", path, {"If-None-Match": etag})
    check(s == 304 and b2 == b"", "If-None-Match -> 304")
    s, _, _ = request(port, "GET", path, {"If-None-Match": '"other", ' + etag})
    check(s == 304, "If-None-Match list -> 304")
    s, _, _ = request(port, "GET", path, {"If-None-Match": '"other"'})
    check(s == 200, "If-None-Match mismatch -> 200")
    s, _, _ = request(port, "GET", path, {"If-Modified-Since": lm})
    check(s == 304, "If-Modified-Since -> 304")
    s, _, _ = request(port, "GET", path, {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})
    check(s == 200, "older If-Modified-Since -> 200")
    s, h2, b3 = request(port, "HEAD", path)
    check(s == 200 and b3 == b"" and h2.get("content-length") == str(len(b)), "HEAD: headers, no body")
    check(h2.get("etag") == etag, "HEAD has the same ETag")


def test_range(port, data):
    n = len(data)
    s, h, b = request(port, "GET", "/probe/big.bin", {"Range": "bytes=0-99"})
    check(s == 206 and b == data[:100] and h.get("content-range") == "bytes 0-99/%d" % n, "Range 0-99 -> 206")
    s, h, b = request(port, "GET", "/probe/big.bin", {"Range": "bytes=-10"})
    check(s == 206 and b == data[-10:], "suffix Range -> 206")
    s, h, b = request(port, "GET", "/probe/big.bin", {"Range": "bytes=1000-"})
    check(s == 206 and b == data[1000:], "open Range -> 206")
    s, h, _ = request(port, "GET", "/probe/big.bin", {"Range": "bytes=%d-" % n})
    check(s == 416 and h.get("content-range") == "bytes */%d" % n, "Range past the end -> 416")
    s, h, b = request(port, "GET", "/probe/big.bin", {"Range": "bytes=0-9", "If-Range": '"stale"'})
    check(s == 200 and b == data, "If-Range mismatch -> 200 whole")
    s, h, b = request(port, "GET", "/probe/big.bin", {"Range": "bytes=0-1,5-6"})
    check(s == 200 and b == data, "multiple ranges -> 200 whole")


def test_refusals(port):
    for m in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
        s, h, _ = request(port, m, "/", body=b"x=1" if m in ("POST", "PUT") else None)
        check(s == 405 and h.get("allow") == "GET, HEAD", "%s -> 405" % m)
    attempts = ["/../etc/passwd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/%2E%2E/%2E%2E/etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd",
                "/static/..%2f..%2f..%2f..%2f..%2fetc/passwd", "/./../etc/passwd",
                "//etc/passwd", "/%2fetc%2fpasswd", "/..\\..\\etc\\passwd", "/%5c..%5cetc%5cpasswd",
                "/%00../etc/passwd", "/%252e%252e/etc/passwd", "/probe/escape/passwd",
                "/probe/passwd-link", "/probe/escape/", "/.newsprint-outputs", "/.hidden"]
    for a in attempts:
        s, _, b = request(port, "GET", a)
        check(s in (400, 403, 404) and b"root:" not in b, "refused %s (%d)" % (a, s))
    s, _, _ = request(port, "GET", "/", {"X-Big": "a" * 100000})
    check(s in (413, 414, 431, 400), "100 KB header refused (%d)" % s)


def sse_events(port, sink, stop):
    """Collects the event stream's bytes into sink until stop is set."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=1)
    sock.sendall(b"GET /__newsprint/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    while not stop.is_set():
        try:
            d = sock.recv(4096)
        except socket.timeout:
            continue
        if not d:
            break
        sink.append(d)
    sock.close()


def test_rebuild(port, site, out):
    art_dir = os.path.join(site, "content/articles")
    day = sorted(d for d in os.listdir(art_dir) if os.path.isdir(os.path.join(art_dir, d)))[0]
    rec = sorted(f for f in os.listdir(os.path.join(art_dir, day)) if f.endswith(".md"))[0]
    rec = os.path.join(art_dir, day, rec)
    text = open(rec, encoding="utf-8").read()
    title = re.search(r"^title: (.+)$", text, re.M).group(1).strip()
    page = None
    for root, _, files in os.walk(os.path.join(out, "articles", day)):
        if "index.html" in files and title in open(os.path.join(root, "index.html"), encoding="utf-8").read():
            page = "/" + os.path.relpath(root, out) + "/"
    check(page is not None, "article page of %s found" % rec)
    if page is None:
        return
    sink, stop = [], threading.Event()
    t = threading.Thread(target=sse_events, args=(port, sink, stop), daemon=True)
    t.start()
    time.sleep(0.5)
    new_title = "服务模式改题" + str(os.getpid())
    with open(rec, "w", encoding="utf-8") as f:
        f.write(text.replace("title: " + title, "title: " + new_title, 1))
    deadline, seen = time.time() + 120, False
    while time.time() < deadline and not seen:
        s, _, b = request(port, "GET", page)
        seen = s == 200 and new_title.encode() in b
        time.sleep(0.2)
    check(seen, "rebuilt page shows the new title through HTTP")
    time.sleep(0.5)
    stop.set()
    t.join(5)
    stream = b"".join(sink)
    check(b"retry: 1000" in stream, "event stream opened")
    check(b"event: reload" in stream or b"event: builderror" in stream, "open pages were told")
    return rec


def open_stream(port):
    """An event stream left open (suspended in the server) across the stop."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /__newsprint/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    got = b""
    while b"retry:" not in got:
        d = sock.recv(4096)
        if not d:
            break
        got += d
    check(b"retry:" in got, "second event stream open")
    return sock


def test_stop(proc, port, rec, site):
    """SIGINT with an open event stream, just as a rebuild starts."""
    sock = open_stream(port)
    with open(rec, "a", encoding="utf-8") as f:
        f.write("\n补一段。\n")
    time.sleep(0.3)  # past the debounce: the build is starting or running
    proc.send_signal(signal.SIGINT)
    rc = proc.wait(timeout=120)
    sock.close()
    check(rc == 0, "SIGINT -> clean exit 0 (got %s)" % rc)
    check(not leftovers(site), "no temporary files left: %s" % leftovers(site))
    return rc


def test_bind_warning(site):
    """Any address but loopback needs --bind and gets a warning."""
    p = subprocess.Popen([NEWSPRINT, "serve", "--site", site, "--port", "0", "--bind", "0.0.0.0",
                          "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = ""
    while "serving" not in line:
        line = p.stdout.readline()
        if not line:
            break
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    check("http://0.0.0.0:" in line, "--bind 0.0.0.0 listens there")
    check("warning: listening on 0.0.0.0, which is not a loopback address" in err,
          "non-loopback address warned about")
    check(p.returncode == 0, "stopped cleanly (got %s)" % p.returncode)


def prepare(tmp):
    site = os.path.join(tmp, "site")
    os.mkdir(site)
    for name in ("site.yaml", "content", "themes", "templates"):
        src = os.path.join(SRC, name)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(site, name))
    shutil.rmtree(os.path.join(site, ".newsprint"), ignore_errors=True)
    return site


def add_probes(out):
    """Files the build does not own (it only removes what it wrote)."""
    probe = os.path.join(out, "probe")
    os.makedirs(probe, exist_ok=True)
    data = os.urandom(200000)
    open(os.path.join(probe, "big.bin"), "wb").write(data)
    open(os.path.join(probe, "img.png"), "wb").write(b"\x89PNG\r\n\x1a\n")
    open(os.path.join(probe, "data.json"), "w").write("{}")
    open(os.path.join(probe, "feed.xml"), "w").write("<x/>")
    open(os.path.join(probe, "app.js"), "w").write("1")
    open(os.path.join(out, ".hidden"), "w").write("secret")
    os.symlink("/etc", os.path.join(probe, "escape"))
    os.symlink("/etc/passwd", os.path.join(probe, "passwd-link"))
    if not os.path.exists(os.path.join(out, "404.html")):
        open(os.path.join(out, "404.html"), "w", encoding="utf-8").write(
            "<!DOCTYPE html><title>找不到</title><body><p>没有这一页</p></body>\n")
    return data


def test_cli(tmp):
    """Usage errors exit 2; a missing site folder exits 1 with a diagnostic."""
    def run(*args):
        return subprocess.run([NEWSPRINT, "serve"] + list(args), capture_output=True, text=True,
                              timeout=60)
    for args in (["--port", "x"], ["--port", "70000"], ["--port"], ["--threads", "0"], ["--nope"]):
        r = run(*args)
        check(r.returncode == 2 and "newsprint help serve" in r.stderr, "serve %s -> 2" % " ".join(args))
    r = run("--site", os.path.join(tmp, "nosuch"), "--port", "0")
    check(r.returncode == 1 and "no such site folder" in r.stderr, "missing site -> 1")
    r = subprocess.run([NEWSPRINT, "help", "serve"], capture_output=True, text=True)
    check(r.returncode == 0 and "--bind ADDR" in r.stdout, "help serve")


def leftovers(root):
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if ".tmp." in f]


def main():
    tmp = tempfile.mkdtemp(prefix="np-serve-")
    proc = None
    try:
        test_cli(tmp)
        site = prepare(tmp)
        out = os.path.join(site, "public")
        err = open(os.path.join(tmp, "stderr.txt"), "w+")
        proc, port, lines = start(site, err)
        data = add_probes(out)
        test_types(port, out)
        test_missing_and_dirs(port, out)
        art = "/" + os.path.relpath(next(d for d, _, fs in os.walk(os.path.join(out, "articles"))
                                         if "index.html" in fs), out) + "/"
        test_conditional(port, art)
        test_range(port, data)
        test_refusals(port)
        rec = test_rebuild(port, site, out)
        rc = test_stop(proc, port, rec, site)
        if rc != 0:
            err.seek(0)
            print("".join(lines) + err.read()[-20000:])
        proc = None
        test_bind_warning(site)
    finally:
        if proc:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        sys.exit("%d check(s) failed" % len(FAILURES))
    print("all serve checks passed")


if __name__ == "__main__":
    main()
