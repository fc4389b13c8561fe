#!/usr/bin/env python3
"""Serve a folder on 127.0.0.1 on a free port for the browser test.

usage: serve.py DIR PORTFILE — writes the port to PORTFILE once listening
and logs each request to PORTFILE.log; serves until killed.
"""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        with open(sys.argv[2] + ".log", "a", encoding="utf-8") as f:
            f.write("%s\n" % (fmt % args))


def main():
    handler = functools.partial(Handler, directory=sys.argv[1])
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as srv:
        with open(sys.argv[2] + ".tmp", "w") as f:
            f.write(str(srv.server_address[1]))
        import os
        os.replace(sys.argv[2] + ".tmp", sys.argv[2])
        srv.serve_forever()


if __name__ == "__main__":
    main()
