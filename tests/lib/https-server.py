#!/usr/bin/env python3
"""https-server.py - a small HTTPS (or plain HTTP) server for the HTTP tests.

Usage: https-server.py [--cert PEM --key KEY] [--tls13-only | --tls12-only]
                       [--client-ca PEM] [--silent] --root DIR --log FILE

Listens on a free port of 127.0.0.1 and prints the port on stdout.  Without
--cert it speaks plain HTTP; with --silent it accepts connections and never
sends a byte (not even a TLS handshake).  Each connection's TLS handshake
runs in its own thread, so a client that stalls one never blocks others.

GET /NAME serves the file DIR/NAME (404 if there is none; no "..").  Two
paths misbehave on purpose:
  /stall   200 with Content-Length 1000000, sends 100 bytes, then nothing;
  /drip    8 pieces of 1024 bytes, one every 0.5 s (4 s in all: a slow but
           live transfer, which a per-operation timeout must not cut).
LOG gets one line per event: "handshake-failed REASON", "client-cert CN"
and "GET PATH authorization=VALUE" (the Authorization header as received,
"-" if none).  Stop the server by its PID.
"""

import argparse
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def note(path, line):
    """Append a line to the log."""
    with LOCK, open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    """Files from the root, plus /stall and /drip."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """No access log on stderr."""

    def send_body_head(self, status, length):
        """Status line and the headers of a body of this length."""
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def do_GET(self):  # pylint: disable=invalid-name
        """Serve one request."""
        note(self.server.log, "GET %s authorization=%s" %
             (self.path, self.headers.get("Authorization", "-")))
        if self.path == "/stall":
            self.send_body_head(200, 1000000)
            self.wfile.write(b"x" * 100)
            self.wfile.flush()
            time.sleep(120)
            return
        if self.path == "/drip":
            self.send_body_head(200, 8 * 1024)
            for i in range(8):
                self.wfile.write(bytes([65 + i]) * 1024)
                self.wfile.flush()
                time.sleep(0.5)
            return
        name = self.path.lstrip("/")
        path = os.path.join(self.server.root, name)
        if ".." in name.split("/") or not os.path.isfile(path):
            self.send_body_head(404, 0)
            return
        with open(path, "rb") as f:
            data = f.read()
        self.send_body_head(200, len(data))
        self.wfile.write(data)


class Server(ThreadingHTTPServer):
    """Runs each TLS handshake in the connection's own thread."""

    daemon_threads = True
    ctx = None
    root = "."
    log = "/dev/null"

    def finish_request(self, request, client_address):
        if self.ctx is not None:
            request.settimeout(10)
            try:
                request = self.ctx.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as e:
                note(self.log, "handshake-failed %s" % e)
                return
            cert = request.getpeercert()
            if cert:
                cn = [v for rdn in cert.get("subject", ()) for k, v in rdn
                      if k == "commonName"]
                note(self.log, "client-cert %s" % (cn[0] if cn else "?"))
            request.settimeout(None)
        self.RequestHandlerClass(request, client_address, self)


def silent(log):
    """Accept connections and never answer."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    print(srv.getsockname()[1], flush=True)
    held = []
    while True:
        conn, _ = srv.accept()
        note(log, "accepted (silent)")
        held.append(conn)


def context(args):
    """The server's TLS context from the options."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    if args.tls13_only:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if args.tls12_only:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if args.client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(args.client_ca)
    return ctx


def main():
    """Parse the options and serve until killed."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--tls13-only", action="store_true")
    ap.add_argument("--tls12-only", action="store_true")
    ap.add_argument("--client-ca")
    ap.add_argument("--silent", action="store_true")
    ap.add_argument("--root", default=".")
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    if args.silent:
        silent(args.log)
        return
    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = args.root
    srv.log = args.log
    if args.cert:
        srv.ctx = context(args)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
