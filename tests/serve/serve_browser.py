#!/usr/bin/env python3
"""newsprint serve in headless Chromium: a build error shows in the page.

Serves a temporary copy of the sample site, breaks a theme template, waits
until the event stream reports the build error, then loads an article page
in headless Chromium (--dump-dom) and expects the error overlay with the
template's diagnostic (the server writes it into pages loaded while the
build is broken, so it does not race the event stream); the article itself
is still the last good page.  Then mends the template and expects the
"reload" event.  Exits 77 (skipped) when Chromium is missing.

Environment: NEWSPRINT, NP_SOURCE_DIR, optionally CHROMIUM.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_http as h  # noqa: E402  (shares the server helpers)

CHROMIUM = os.environ.get("CHROMIUM", "")
if not os.access(CHROMIUM, os.X_OK):  # unset, or CMake's "-NOTFOUND"
    CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-default-browser-check"]


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=1)
    sock.sendall(b"GET /__newsprint/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return sock


def wait_event(sock, name, timeout=120):
    """Waits for `event: name` on the open event stream sock, then closes it."""
    got, deadline = b"", time.time() + timeout
    while time.time() < deadline and b"event: " + name not in got:
        try:
            d = sock.recv(4096)
        except socket.timeout:
            continue
        if not d:
            break
        got += d
    sock.close()
    return b"event: " + name in got


def dump_dom(tmp, url, ms=4000):
    """The DOM after ms milliseconds (--timeout: the event stream never ends,
    so the page never finishes loading on its own)."""
    profile = tempfile.mkdtemp(dir=tmp)
    r = subprocess.run([CHROMIUM] + FLAGS + ["--user-data-dir=" + profile,
                        "--timeout=%d" % ms, "--dump-dom", url],
                       capture_output=True, text=True, timeout=120)
    return r.stdout


def dump_until(tmp, url, needle):
    """Dumps with longer and longer waits (a loaded machine is slow) until
    needle shows up; returns the last DOM."""
    for ms in (4000, 8000, 16000):
        dom = dump_dom(tmp, url, ms)
        if needle in dom:
            break
    return dom


def main():
    if not CHROMIUM:
        print("chromium not installed: skipped")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="np-serve-browser-")
    proc = None
    try:
        site = h.prepare(tmp)
        out = os.path.join(site, "public")
        proc, port, _ = h.start(site, subprocess.DEVNULL)
        art = "/" + os.path.relpath(next(d for d, _, fs in os.walk(os.path.join(out, "articles"))
                                         if "index.html" in fs), out) + "/"
        tpl = os.path.join(site, "themes/default/templates/article.html")
        good = open(tpl, encoding="utf-8").read()
        sock = connect(port)  # before the edit: the message cannot be missed
        with open(tpl, "w", encoding="utf-8") as f:
            f.write(good + "{% endfor %}\n")
        h.check(wait_event(sock, b"builderror"), "event stream reports the build error")
        dom = dump_until(tmp, "http://127.0.0.1:%d%s" % (port, art), 'id="__newsprint_error"')
        h.check('id="__newsprint_error"' in dom, "the page shows the error overlay")
        h.check("the build failed" in dom and "article.html" in dom,
                "the overlay names the broken template")
        h.check("<article" in dom or "<h1" in dom, "the last good article is still served")
        sock = connect(port)
        with open(tpl, "w", encoding="utf-8") as f:
            f.write(good)
        h.check(wait_event(sock, b"reload"), "a good build tells pages to reload")
        dom = dump_dom(tmp, "http://127.0.0.1:%d%s" % (port, art))
        h.check('id="__newsprint_error"' not in dom, "no overlay after the good build")
        proc.send_signal(signal.SIGINT)
        h.check(proc.wait(timeout=120) == 0, "SIGINT -> exit 0")
        proc = None
    finally:
        if proc:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    if h.FAILURES:
        sys.exit("%d check(s) failed" % len(h.FAILURES))
    print("all serve browser checks passed")


if __name__ == "__main__":
    main()
