#!/usr/bin/env python3
"""starttls-hostile.py - hostile STARTTLS servers against `petrel sync`.

The attacks of "NO STARTTLS" (USENIX Security 2021), each a small plain-text
IMAP server on 127.0.0.1 (a port the kernel picks), with the account set to
security = starttls:

  inject        answers STARTTLS with "a1 OK Begin TLS" and, in the same
                packet, "a2 OK" and "* CAPABILITY ..." (response injection)
  preauth       greets with PREAUTH (no login, so no STARTTLS either)
  refused       answers STARTTLS with NO (text with terminal escapes)
  no-starttls   does not offer STARTTLS at all
  bye-escape    greets with BYE carrying terminal escape sequences

For each, `petrel -F CONFIG sync test` must exit 1 (not by a signal),
print exactly one line on stderr starting "petrel: ", free of control
characters and naming the problem, finish within TIME_LIMIT seconds, and
never send a credential (AUTHENTICATE or LOGIN) to the server.

Usage: PETREL=/path/to/petrel starttls-hostile.py [scenario...]
Python 3 standard library only.  Exit status 0 if every scenario passed,
1 otherwise; a missing or non-executable PETREL is a failure, not a skip.
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

TIME_LIMIT = 10.0

CAPS = b"IMAP4rev1 STARTTLS AUTH=PLAIN SASL-IR"


def serve_inject(conn, rfile, log):
    conn.sendall(b"* OK [CAPABILITY " + CAPS + b"] ready\r\n")
    line = rfile.readline()
    log.append(line)
    tag = line.split(b" ")[0]
    conn.sendall(tag + b" OK Begin TLS\r\na2 OK\r\n* CAPABILITY IMAP4rev1 "
                 b"AUTH=PLAIN\r\n")
    log.append(rfile.readline())      # anything else petrel sends


def serve_preauth(conn, rfile, log):
    conn.sendall(b"* PREAUTH [CAPABILITY " + CAPS + b"] welcome\r\n")
    log.append(rfile.readline())


def serve_refused(conn, rfile, log):
    conn.sendall(b"* OK [CAPABILITY " + CAPS + b"] ready\r\n")
    line = rfile.readline()
    log.append(line)
    tag = line.split(b" ")[0]
    conn.sendall(tag + b" NO \x1b]0;owned\x07\x1b[31mno TLS today\r\n")
    log.append(rfile.readline())


def serve_no_starttls(conn, rfile, log):
    conn.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n")
    log.append(rfile.readline())


def serve_bye(conn, rfile, log):
    conn.sendall(b"* BYE \x1b[2J\x1b[31mgo away\x9b31m\r\n")
    log.append(rfile.readline())


SCENARIOS = {
    "inject": (serve_inject, "injection"),
    "preauth": (serve_preauth, "PREAUTH"),
    "refused": (serve_refused, "refused STARTTLS"),
    "no-starttls": (serve_no_starttls, "does not offer STARTTLS"),
    "bye-escape": (serve_bye, "refused the connection"),
}


def server(sock, fn, log):
    sock.settimeout(TIME_LIMIT + 5)
    try:
        conn, _ = sock.accept()
    except OSError:
        return
    conn.settimeout(TIME_LIMIT + 5)
    rfile = conn.makefile("rb")
    try:
        fn(conn, rfile, log)
    except OSError:
        pass
    finally:
        conn.close()


def run(name, petrel):
    fn, want = SCENARIOS[name]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]
    log = []
    th = threading.Thread(target=server, args=(sock, fn, log), daemon=True)
    th.start()
    with tempfile.TemporaryDirectory(prefix="petrel-starttls-") as d:
        cfg = os.path.join(d, "config")
        with open(cfg, "w") as f:
            f.write("[account test]\ndriver = imap\nhost = 127.0.0.1\n"
                    "port = %d\nuser = alice\npassword = secret\n"
                    "security = starttls\ntimeout = 5\ngreeting_timeout = 3\n"
                    % port)
        env = dict(os.environ, HOME=d, XDG_DATA_HOME=d + "/data",
                   XDG_CONFIG_HOME=d + "/config", XDG_CACHE_HOME=d + "/cache",
                   XDG_STATE_HOME=d + "/state", LC_ALL="C.UTF-8")
        start = time.monotonic()
        try:
            p = subprocess.run([petrel, "-F", cfg, "sync", "test"], env=env,
                               stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            return "did not finish within %.0f s" % TIME_LIMIT
        secs = time.monotonic() - start
    sock.close()
    th.join(2)
    err = p.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    if p.returncode != 1:
        return "exit status %d, not 1 (stderr %r)" % (p.returncode, err)
    if len(lines) != 1 or not lines[0].startswith("petrel: "):
        return "expected one 'petrel: ' line on stderr, got %r" % err
    if any(ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0 for ch in lines[0]):
        return "control characters on stderr: %r" % lines[0]
    if want not in lines[0]:
        return "error does not say %r: %r" % (want, lines[0])
    for l in log:
        if b"AUTHENTICATE" in l.upper() or b" LOGIN " in l.upper():
            return "a credential was sent: %r" % l
    print("ok   %-12s %.1fs  %s" % (name, secs, lines[0]))
    return None


def main():
    petrel = os.environ.get("PETREL", "./petrel")
    if not (os.path.isfile(petrel) and os.access(petrel, os.X_OK)):
        print("FAIL: PETREL=%r is not an executable petrel" % petrel)
        return 1
    names = sys.argv[1:] or list(SCENARIOS)
    failed = 0
    for name in names:
        if name not in SCENARIOS:
            print("FAIL %s: unknown scenario" % name)
            failed += 1
            continue
        why = run(name, petrel)
        if why is not None:
            print("FAIL %-12s %s" % (name, why))
            failed += 1
    print("%s: %d/%d scenarios passed" % ("PASS" if not failed else "FAIL",
                                         len(names) - failed, len(names)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
