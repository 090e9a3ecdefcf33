#!/usr/bin/env python3
"""tls-stub.py - a TLS server that pretends to be IMAP, for certificate tests.

Usage: tls-stub.py CERT KEY LOG

Listens on a free port of 127.0.0.1 and prints the port on stdout.  Each
connection gets a TLS handshake with CERT/KEY, then an IMAP greeting; the
stub then waits up to 3 s for the client.  LOG gets one line per connection:
"handshake-failed REASON" (the client refused the certificate), or
"received N bytes" (the client went on talking: it accepted the
certificate).  It never answers anything else.  Stop it by its PID.
"""

import socket
import ssl
import sys


def main():
    """Serve connections until killed."""
    cert, key, log = sys.argv[1:4]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    print(srv.getsockname()[1], flush=True)
    while True:
        conn, _ = srv.accept()
        conn.settimeout(5)
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            note(log, "handshake-failed %s" % e)
            conn.close()
            continue
        try:
            tls.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] tls-stub ready\r\n")
            tls.settimeout(3)
            data = tls.recv(65536)
            note(log, "received %d bytes" % len(data))
        except (ssl.SSLError, OSError) as e:
            note(log, "closed after handshake: %s" % e)
        finally:
            tls.close()


def note(path, line):
    """Append one line to the log."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


if __name__ == "__main__":
    main()
