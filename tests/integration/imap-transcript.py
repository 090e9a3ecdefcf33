#!/usr/bin/env python3
"""imap-transcript.py - scripted IMAP server transcripts against `petrel sync`.

Each scenario is a list of steps the server plays on 127.0.0.1 (a random
port): the greeting, then for every command the exact line petrel must send
and the bytes the server answers with.  A line that differs from the script
fails the scenario, so this checks the exact bytes petrel sends (curl's
tests/data/test800 is the model), including after faults: a wrong password,
a BYE, a disconnect in the middle of a literal, a line longer than petrel's
maximum, a slow drip of single bytes, and a read-only sync that must not
send SELECT or STORE.  The trace log of every run is checked for the
password.

Usage: PETREL=/path/to/petrel imap-transcript.py   (Python 3 standard library)
Exit status 0 if every scenario passed, 1 otherwise; 77 if petrel is missing.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

PASSWORD = "s3cr3t-PW"
AUTH_B64 = "AHVzZXIAczNjcjN0LVBX"  # base64("\0user\0s3cr3t-PW")

GREETING = b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] transcript ready\r\n"
GREETING_QRESYNC = (b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR ENABLE "
                    b"CONDSTORE QRESYNC] transcript ready\r\n")
LOGIN = ("a1 AUTHENTICATE PLAIN " + AUTH_B64,
         b"a1 OK [CAPABILITY IMAP4rev1 LITERAL+] Logged in\r\n")
HEADER_FIELDS = "DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES"


def fetch_all(n):
    """The cold download of a folder of n messages (newest first, by
    sequence number; the header fields petrel lists, not ENVELOPE)."""
    return ("FETCH 1:%d (UID FLAGS INTERNALDATE RFC822.SIZE "
            "BODY.PEEK[HEADER.FIELDS (%s)])" % (n, HEADER_FIELDS))


def fields(subject, sender=b"Ann <ann@example.org>"):
    """The HEADER.FIELDS section of a message, as a literal."""
    block = (b"Date: Mon, 1 Feb 2021 10:00:00 +0000\r\nSubject: " + subject
             + b"\r\nFrom: " + sender + b"\r\nMessage-ID: <x@y>\r\n\r\n")
    return (b"BODY[HEADER.FIELDS (" + HEADER_FIELDS.encode() + b")] {%d}\r\n"
            % len(block) + block)


def fetch(seq, uid, flags, subject):
    return (b"* %d FETCH (UID %d FLAGS (%s) INTERNALDATE "
            b'"01-Feb-2021 10:00:00 +0000" RFC822.SIZE 100 ' % (seq, uid, flags)
            + fields(subject) + b")\r\n")


def list_resp(tag):
    return (b'* LIST (\\HasNoChildren) "/" INBOX\r\n'
            b'* LIST (\\Noselect \\HasChildren) "/" Archive\r\n'
            b'* LIST (\\HasNoChildren) "/" "Archive/Entw&APw-rfe"\r\n'
            + tag + b' OK List completed\r\n')


# Each scenario: (name, steps, petrel extra args, expected exit status,
# text expected on stdout or stderr).  A step is (expected line or None,
# reply bytes, option dict).
SCENARIOS = [
    # A first sync: INBOX before the folder list (no LIST round trip
    # before the first screenful), then the list, then the other folders.
    ("sync", [
        (None, GREETING, {}),
        LOGIN + ({},),
        ('a2 SELECT "INBOX"',
         b"* 2 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 42] UIDs valid\r\n"
         b"* OK [UIDNEXT 8] next\r\na2 OK [READ-WRITE] Select completed\r\n", {}),
        ("a3 " + fetch_all(2),
         fetch(1, 5, b"\\Seen", b"=?UTF-8?B?R3LDvMOfZQ==?=")
         + fetch(2, 7, b"", b"Hello")
         + b"a3 OK Fetch completed\r\n", {}),
        ('a4 LIST "" "*"', list_resp(b"a4"), {}),
        ('a5 SELECT "Archive/Entw&APw-rfe"',
         b"* 0 EXISTS\r\n* OK [UIDVALIDITY 43] ok\r\na5 OK selected\r\n", {}),
        ("a6 LOGOUT", b"* BYE bye\r\na6 OK Logout completed\r\n", {"close": True}),
    ], [], 0, ["INBOX: 2 messages, 1 unread", "Entw\u00fcrfe: 0 messages"]),

    # ENABLE is not waited for: SELECT INBOX follows it at once (the
    # server answers nothing until both are in).
    ("enable-pipelined", [
        (None, GREETING_QRESYNC, {}),
        ("a1 AUTHENTICATE PLAIN " + AUTH_B64,
         b"a1 OK [CAPABILITY IMAP4rev1 ENABLE CONDSTORE QRESYNC] in\r\n", {}),
        ("a2 ENABLE QRESYNC", b"", {}),
        ('a3 SELECT "INBOX" (CONDSTORE)',
         b"* ENABLED QRESYNC\r\na2 OK Enabled\r\n"
         b"* 0 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\n"
         b"* OK [HIGHESTMODSEQ 1] ok\r\na3 OK [READ-WRITE] done\r\n", {}),
        ('a4 LIST "" "*"', b'* LIST () "/" INBOX\r\na4 OK done\r\n', {}),
        ("a5 LOGOUT", b"* BYE bye\r\na5 OK bye\r\n", {"close": True}),
    ], [], 0, ["INBOX: 0 messages"]),

    ("read-only", [
        (None, GREETING, {}),
        LOGIN + ({},),
        ('a2 EXAMINE "INBOX"',
         b"* 1 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\na2 OK [READ-ONLY] done\r\n", {}),
        ("a3 " + fetch_all(1), fetch(1, 5, b"", b"x") + b"a3 OK done\r\n", {}),
        ('a4 LIST "" "*"', list_resp(b"a4"), {}),
        ('a5 EXAMINE "Archive/Entw&APw-rfe"',
         b"* 0 EXISTS\r\n* OK [UIDVALIDITY 43] ok\r\na5 OK done\r\n", {}),
        ("a6 LOGOUT", b"* BYE bye\r\na6 OK bye\r\n", {"close": True}),
    ], ["-R"], 0, ["INBOX: 1 messages, 1 unread"]),

    ("wrong-password", [
        (None, GREETING, {}),
        ("a1 AUTHENTICATE PLAIN " + AUTH_B64,
         b"a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n", {}),
    ], [], 1, ["authentication failed (server said: Authentication failed.)"]),

    ("bye-greeting", [
        (None, b"* BYE [UNAVAILABLE] Server shutting down\r\n", {"close": True}),
    ], [], 1, ["Server shutting down"]),

    ("disconnect-mid-literal", [
        (None, GREETING, {}),
        LOGIN + ({},),
        ('a2 SELECT "INBOX"',
         b"* 1 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\na2 OK done\r\n", {}),
        ("a3 " + fetch_all(1),
         b"* 1 FETCH (UID 5 BODY[HEADER.FIELDS (SUBJECT)] {100}\r\nonly part", {"close": True}),
    ], [], 1, ["closed the connection"]),

    ("line-too-long", [
        (None, GREETING, {}),
        LOGIN + ({},),
        ('a2 SELECT "INBOX"',
         b"* 0 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\na2 OK done\r\n", {}),
        ('a3 LIST "" "*"', b"* LIST () \"/\" " + b"x" * (10 * 1024 * 1024)
         + b"\r\na3 OK\r\n", {}),
    ], [], 1, ["longer than"]),

    ("slow-drip", [
        (None, GREETING, {"drip": 0.002}),
        LOGIN + ({"drip": 0.002},),
        ('a2 SELECT "INBOX"',
         b"* 1 EXISTS\r\n* OK [UIDVALIDITY 1] ok\r\na2 OK done\r\n", {"drip": 0.001}),
        ("a3 " + fetch_all(1), fetch(1, 9, b"\\Flagged", b"drip") + b"a3 OK\r\n",
         {"drip": 0.0005}),
        ('a4 LIST "" "*"', b'* LIST () "/" INBOX\r\na4 OK done\r\n', {"drip": 0.001}),
        ("a5 LOGOUT", b"* BYE bye\r\na5 OK bye\r\n", {"close": True}),
    ], [], 0, ["INBOX: 1 messages, 1 unread"]),
]


class Server(threading.Thread):
    """Play one scenario to the first client that connects."""

    def __init__(self, steps):
        super().__init__(daemon=True)
        self.steps = steps
        self.errors = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(20)
        self.port = self.sock.getsockname()[1]

    def send(self, conn, data, drip):
        if not drip:
            conn.sendall(data)
            return
        for i in range(len(data)):
            conn.sendall(data[i:i + 1])
            time.sleep(drip)

    def run(self):
        try:
            conn, _ = self.sock.accept()
        except OSError as e:
            self.errors.append("no connection: %s" % e)
            return
        conn.settimeout(20)
        rfile = conn.makefile("rb")
        try:
            for expect, reply, opts in self.steps:
                if expect is not None:
                    line = rfile.readline(65536)
                    got = line.decode("utf-8", "replace").rstrip("\r\n")
                    if not line.endswith(b"\r\n") or got != expect:
                        self.errors.append("expected %r, got %r" % (expect, line))
                        return
                try:
                    self.send(conn, reply, opts.get("drip"))
                except OSError:
                    pass  # petrel may hang up on a reply it refuses
                if opts.get("close"):
                    break
            else:
                # The script is over: petrel must send nothing more.
                conn.settimeout(5)
                try:
                    extra = rfile.readline(65536)
                except OSError:
                    extra = b""  # reset: petrel hung up
                if extra:
                    self.errors.append("unexpected line %r" % extra)
        except (OSError, socket.timeout) as e:
            self.errors.append("server: %s" % e)
        finally:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()
            self.sock.close()


def run_scenario(petrel, name, steps, args, want_rc, want_text):
    tmp = tempfile.mkdtemp(prefix="petrel-transcript-")
    try:
        server = Server(steps)
        server.start()
        cfg = os.path.join(tmp, "config")
        with open(cfg, "w") as f:
            f.write("[account test]\ndriver = imap\nhost = 127.0.0.1\n"
                    "port = %d\nuser = user\npassword = %s\nsecurity = none\n"
                    "allow_plaintext_auth = yes\n"
                    "timeout = 10\nconnect_timeout = 5\n" % (server.port, PASSWORD))
        os.chmod(cfg, 0o600)
        log = os.path.join(tmp, "trace.log")
        environ = dict(os.environ, HOME=tmp, XDG_DATA_HOME=tmp + "/data",
                       XDG_CONFIG_HOME=tmp + "/config")
        p = subprocess.run([petrel, "-F", cfg, "-d", "4", "-L", log] + args
                           + ["sync", "test"], env=environ, capture_output=True,
                           timeout=60)
        server.join(30)
        out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
        problems = list(server.errors)
        if p.returncode != want_rc:
            problems.append("exit status %d, wanted %d" % (p.returncode, want_rc))
        for t in want_text:
            if t not in out:
                problems.append("output lacks %r" % t)
        trace = open(log, "rb").read().decode("utf-8", "replace") if os.path.exists(log) else ""
        if PASSWORD in trace or AUTH_B64 in trace or PASSWORD in out:
            problems.append("the password reached the log or the output")
        if "a1 AUTHENTICATE PLAIN" in trace and "<redacted>" not in trace:
            problems.append("the trace shows no redaction")
        if problems:
            print("FAIL %s: %s\n--- petrel output:\n%s" % (name, "; ".join(problems), out))
            return False
        print("ok   %s" % name)
        return True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    petrel = os.environ.get("PETREL", "./petrel")
    if not os.access(petrel, os.X_OK):
        print("SKIP: petrel not found at %s (set PETREL)" % petrel)
        return 77
    only = sys.argv[1:]
    ok = True
    for name, steps, args, rc, text in SCENARIOS:
        if only and name not in only:
            continue
        ok = run_scenario(petrel, name, steps, args, rc, text) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
