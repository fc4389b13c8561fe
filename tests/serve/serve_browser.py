#!/usr/bin/env python3
"""newsprint serve in headless Chromium: a build error shows in the page.

Serves a temporary copy of the sample site, breaks a theme template, waits
until the event stream reports the build error, then loads an article page
in headless Chromium (--dump-dom) and expects the error overlay with the
template's diagnostic (the server writes it into pages loaded while the
build is broken, so it does not race the event stream); the article itself
is still the last good page.  Then mends the template and expects the
"reload" event.  Then, over the DevTools protocol (--remote-debugging-pipe),
keeps an article open while the template breaks: the page's script must show
the overlay without a reload, and reload into a clean page when it is mended.  Exits 77 (skipped) when Chromium is missing.

Environment: NEWSPRINT, NP_SOURCE_DIR, optionally CHROMIUM.
"""
import json
import os
import select
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


class Devtools:
    """Chromium driven over --remote-debugging-pipe: the DevTools protocol as
    NUL-terminated JSON on the child's descriptors 3 (commands in) and 4
    (answers and events out)."""

    def __init__(self, tmp):
        cmd_r, self.cmd_w = os.pipe()
        self.out_r, out_w = os.pipe()

        def fds():  # runs in the child; copies first, so neither end is clobbered
            r, w = os.dup(cmd_r), os.dup(out_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM] + FLAGS + ["--user-data-dir=" + tempfile.mkdtemp(dir=tmp),
                                  "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds, pass_fds=(3, 4))
        os.close(cmd_r)
        os.close(out_w)
        self.buf, self.next_id, self.session = b"", 0, None

    def call(self, method, params=None, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session:
            msg["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b"\0" in self.buf:
                raw, self.buf = self.buf.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self.next_id:
                    if "error" in answer:
                        raise RuntimeError("%s: %s" % (method, answer["error"]))
                    return answer.get("result", {})
            ready, _, _ = select.select([self.out_r], [], [], 1)
            if ready:
                chunk = os.read(self.out_r, 65536)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self.buf += chunk
        raise RuntimeError("%s: no answer in %d s" % (method, timeout))

    def open(self, url):
        target = self.call("Target.createTarget", {"url": url})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]

    def value(self, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return r.get("result", {}).get("value")

    def wait_for(self, expression, timeout=60):
        """Polls expression until it is truthy; returns its last value."""
        deadline, v = time.time() + timeout, None
        while time.time() < deadline:
            try:
                v = self.value(expression)
            except RuntimeError:
                v = None  # between documents while the page reloads
            if v:
                break
            time.sleep(0.2)
        return v

    def close(self):
        self.proc.kill()
        self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.out_r)


OVERLAY = "(document.getElementById('__newsprint_error') || {}).textContent || ''"


def live_checks(tmp, port, url, tpl, good):
    """A page that is open when the build breaks shows the overlay (the
    script, from the event stream), and reloads into a clean page when the
    build is mended."""
    dev = Devtools(tmp)
    try:
        dev.open(url)
        h.check(dev.wait_for("document.readyState === 'complete' && "
                             "!!document.querySelector('script[src$=\"reload.js\"]')"),
                "live: the article loads with the reload script")
        h.check(dev.value(OVERLAY) == "", "live: no overlay while the build is good")
        dev.value("window.__np_mark = 1")  # gone if the page reloads
        time.sleep(1)  # the script's event stream connects
        sock = connect(port)
        with open(tpl, "w", encoding="utf-8") as f:
            f.write(good + "{% endfor %}\n")
        h.check(wait_event(sock, b"builderror"), "live: the build error is reported")
        text = dev.wait_for(OVERLAY + ".indexOf('article.html') >= 0 && " + OVERLAY)
        h.check(bool(text) and "the build failed" in text,
                "live: the open page shows the overlay naming the template")
        h.check(dev.value("window.__np_mark") == 1, "live: the overlay came without a reload")
        sock = connect(port)
        with open(tpl, "w", encoding="utf-8") as f:
            f.write(good)
        h.check(wait_event(sock, b"reload"), "live: the good build tells the page to reload")
        h.check(dev.wait_for("window.__np_mark === undefined && "
                             "document.readyState === 'complete'"),
                "live: the page reloaded")
        h.check(dev.value(OVERLAY) == "", "live: no overlay after the reload")
    finally:
        dev.close()


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
        live_checks(tmp, port, "http://127.0.0.1:%d%s" % (port, art), tpl, good)
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
