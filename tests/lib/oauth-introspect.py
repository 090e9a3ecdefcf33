#!/usr/bin/env python3
"""oauth-introspect.py - a tiny OAuth 2.0 token introspection endpoint
(RFC 7662) for Dovecot's oauth2 passdb in the tests.

Usage: oauth-introspect.py --dir DIR --token TOKEN --user NAME

Listens on 127.0.0.1, on a port the kernel picks, and writes DIR/port and
DIR/pid once it accepts connections (so a test waits for DIR/port).  It
answers every request, whatever its path, with JSON: {"active": true,
"username": NAME, "scope": "mail"} when the request carries TOKEN, and
{"active": false} otherwise.  The token is taken from where Dovecot's
introspection modes put it:
    post  a form body "token=..."    (introspection_mode = post)
    get   the URL's query "?token=..." or the URL's last path segment
          (introspection_mode = get appends the token to the URL)
    auth  an "Authorization: Bearer ..." header (introspection_mode = auth)

DIR/log gets one line per request, written before the answer:
    check mode=MODE token=TOKEN result=active|inactive
(mode "none" and an empty token when the request carried none).  The token
is test data, so logging it is what lets a test prove which token the
server was asked about.  Bodies are read up to 64 KiB; anything longer is
refused with 413.  Stop it by its PID.  Python 3 standard library only.
"""

import argparse
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY_MAX = 65536


class Handler(BaseHTTPRequestHandler):
    """One introspection request: find the token, log, answer."""

    protocol_version = "HTTP/1.1"
    server_version = "petrel-oauth-introspect/1"

    def log_message(self, fmt, *args):
        """Keep stderr quiet: the check log is what the tests read."""

    def body(self):
        """The request body (bounded), or None if it is too long."""
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = 0
        if n > BODY_MAX:
            return None
        return self.rfile.read(n) if n > 0 else b""

    def find_token(self, body):
        """(mode, token) from the header, the body or the URL."""
        auth = self.headers.get("Authorization") or ""
        if auth[:7].lower() == "bearer ":
            return "auth", auth[7:].strip()
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if "token" in form:
            return "post", form["token"][0]
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if "token" in query:
            return "get", query["token"][0]
        last = url.path.rstrip("/").rsplit("/", 1)[-1]
        if last and last != "introspect":
            return "get", urllib.parse.unquote(last)
        return "none", ""

    def answer(self, code, obj):
        """Send a JSON reply with a length (keep-alive safe)."""
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        """Answer one request of any method."""
        body = self.body()
        if body is None:
            self.close_connection = True
            self.answer(413, {"error": "request too large"})
            return
        mode, token = self.find_token(body)
        good = token != "" and token == self.server.token
        note(self.server.log, "check mode=%s token=%s result=%s" %
             (mode, token, "active" if good else "inactive"))
        if good:
            self.answer(200, {"active": True, "username": self.server.user,
                              "scope": "mail"})
        else:
            self.answer(200, {"active": False})

    do_GET = handle_any
    do_POST = handle_any


def note(path, line):
    """Append one line to the log (one writer at a time)."""
    with LOG_LOCK, open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


LOG_LOCK = threading.Lock()


def main():
    """Bind, publish port and pid, serve until killed."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--user", required=True)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.token = args.token
    srv.user = args.user
    srv.log = os.path.join(args.dir, "log")
    open(srv.log, "a", encoding="utf-8").close()
    # the pid first: a test that sees the port can also stop us
    for name, value in (("pid", os.getpid()),
                        ("port", srv.server_address[1])):
        tmp = os.path.join(args.dir, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("%d\n" % value)
        os.rename(tmp, os.path.join(args.dir, name))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
