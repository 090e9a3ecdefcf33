#!/usr/bin/env python3
"""pop3-relay.py - a POP3 relay in front of a real server, for the tests.

It passes a POP3 session through to a server on 127.0.0.1 unchanged,
except that it drops the "SASL ..." line from CAPA answers, so that the
client sees a server with no SASL mechanism and has to log in with APOP
(when the greeting carries a timestamp) or USER/PASS; with --no-apop it
also removes the APOP timestamp from the greeting, leaving USER/PASS.  With --cert and
--key the client side is implicit TLS (the server side stays plain text),
so USER/PASS can be tested over TLS against a server that would always
offer SASL.  With --cut-quit it closes both sides as soon as the client
sends QUIT, before the server sees it: a session cut before QUIT, which
must delete nothing.

Every command the client sends is appended to --log, its first word and,
for USER and APOP, the user name; never a password or digest.  The relay
serves connections until it is killed.

Usage: pop3-relay.py --port P --target-port T --log FILE
                     [--cert PEM --key PEM] [--no-apop] [--cut-quit]
Python 3 standard library only.
"""

import argparse
import re
import socket
import ssl
import threading


class Session:
    """One client connection and its server connection."""

    def __init__(self, client, args, log_lock):
        self.client = client
        self.args = args
        self.log_lock = log_lock
        self.in_capa = False
        self.server = socket.create_connection(("127.0.0.1",
                                                args.target_port), 10)

    def log(self, line):
        """Append what the client did to the log."""
        with self.log_lock:
            with open(self.args.log, "a") as f:
                f.write(line + "\n")

    def close(self):
        """Close both sides."""
        for s in (self.client, self.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def client_to_server(self):
        """Forward commands, noting them; cut at QUIT if asked."""
        rfile = self.client.makefile("rb")
        try:
            for line in rfile:
                words = line.decode("utf-8", "replace").split()
                verb = words[0].upper() if words else ""
                if verb in ("USER", "APOP") and len(words) > 1:
                    self.log(verb + " " + words[1])
                elif verb:
                    self.log(verb)
                if verb == "QUIT" and self.args.cut_quit:
                    break
                if verb == "CAPA":
                    self.in_capa = True
                self.server.sendall(line)
        except (OSError, ValueError):
            pass
        self.close()

    def server_to_client(self):
        """Forward replies, without the SASL line of a CAPA answer."""
        rfile = self.server.makefile("rb")
        first = True
        try:
            for line in rfile:
                if first and self.args.no_apop:
                    line = re.sub(rb" ?<[^>]*>", b"", line)
                first = False
                if self.in_capa and line.upper().startswith(b"SASL"):
                    continue
                if self.in_capa and line in (b".\r\n", b".\n"):
                    self.in_capa = False
                self.client.sendall(line)
        except (OSError, ValueError):
            pass
        self.close()

    def run(self):
        """Relay both ways until either side is done."""
        t = threading.Thread(target=self.client_to_server, daemon=True)
        t.start()
        self.server_to_client()
        t.join(5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target-port", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--no-apop", action="store_true")
    ap.add_argument("--cut-quit", action="store_true")
    args = ap.parse_args()
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", args.port))
    lsock.listen(8)
    lock = threading.Lock()
    while True:
        conn, _ = lsock.accept()
        try:
            if ctx is not None:
                conn = ctx.wrap_socket(conn, server_side=True)
            s = Session(conn, args, lock)
        except (OSError, ssl.SSLError):
            conn.close()	# e.g. a port check that hung up at once
            continue
        threading.Thread(target=s.run, daemon=True).start()


if __name__ == "__main__":
    main()
