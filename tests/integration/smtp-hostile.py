#!/usr/bin/env python3
"""smtp-hostile.py - a hostile SMTP server against smtp_send.

Each scenario runs a small SMTP server on 127.0.0.1 (a port the kernel
picks) that behaves (greeting, EHLO with PIPELINING, SIZE, 8BITMIME and
AUTH PLAIN, the transaction) until one chosen moment, then does what a
broken or hostile server does:

  long-greeting      a greeting line of 200 MB, never ended
  long-ehlo-line     an EHLO reply line of 200 MB
  endless-ehlo       "250-..." lines forever, never a last line
  inconsistent-codes an EHLO reply whose lines carry 250, then 550
  bare-lf            a greeting ended by a bare LF
  no-greeting        accepts the connection and says nothing
  drip-greeting      a greeting of one byte every 0.2 s, forever
  hostile-text       AUTH refused with terminal escapes in the text
  garbage            random bytes (NUL, 8-bit, escapes) after EHLO
  close-mid-reply    the connection closed inside the EHLO reply
  silent-rcpt        the replies to the pipelined commands never come
  endless-after-data the reply to the final dot is endless
  accept             (must work) an honest server: the message arrives
                     whole, dot-stuffed, and smtp_probe exits 0

The client is tests/tools/smtp_probe (smtp_send with command-line
settings: --timeout 3000 --greeting-timeout 2000).  It must finish
within TIME_LIMIT seconds, not by a signal, with a peak RSS (ru_maxrss
from wait4, and /proc/PID/status while it runs) under RSS_LIMIT_MB, so
that holding a 200 MB line or an endless reply would fail the test.
The failing scenarios must exit 1 with exactly one line on stderr,
"error: ERR_NAME: ...", with the error code the scenario expects and no
control characters; the password never appears in any output.

Usage: SMTP_PROBE=/path/smtp_probe smtp-hostile.py [scenario...]
       (or PETREL_BUILDDIR=/path/to/build; HOSTILE_RSS_LIMIT_MB=N changes
       the 100 MB limit, e.g. for ASan)
Python 3 standard library only.  Exit status 0 if every scenario passed,
1 otherwise; a missing probe is a failure, not a skip.
"""

import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import hostile  # noqa: E402  (tests/lib: the shared harness)
from hostile import Peer  # noqa: E402

TIME_LIMIT = 30.0         # seconds the probe may take, per scenario
RSS_LIMIT_MB = int(os.environ.get("HOSTILE_RSS_LIMIT_MB", "100"))
RSS_KILL_MB = 1024        # kill the probe early past this
SERVER_CAP = 40.0         # a hostile stream never runs longer than this
BIG = 200 * 1024 * 1024   # "a 200 MB line"
PASSWORD = "hostile-secret-pw"

GREETING = b"220 hostile.test ESMTP\r\n"
EHLO = (b"250-hostile.test\r\n250-PIPELINING\r\n250-SIZE 1000000\r\n"
        b"250-8BITMIME\r\n250 AUTH PLAIN\r\n")
MESSAGE = (b"Subject: hostile\n\nline one\n.leading dot\n.\nlast\n")
MESSAGE_DATA = (b"Subject: hostile\r\n\r\nline one\r\n..leading dot\r\n"
                b"..\r\nlast\r\n.\r\n")


def honest(peer, upto, payload):
    """An honest server until the step named upto (greeting, ehlo, auth,
    mail, data, end), where payload(peer) takes over."""
    if upto == "greeting":
        return payload(peer)
    if not peer.send(GREETING) or not peer.readline():
        return None
    if upto == "ehlo":
        return payload(peer)
    peer.send(EHLO)
    line = peer.readline()
    if line.upper().startswith(b"AUTH"):
        if upto == "auth":
            return payload(peer)
        peer.send(b"235 2.7.0 ok\r\n")
        line = peer.readline()
    # MAIL, RCPT, DATA arrive pipelined
    if not line.upper().startswith(b"MAIL") or not peer.readline() \
            or not peer.readline():
        return None
    if upto == "mail":
        return payload(peer)
    peer.send(b"250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go ahead\r\n")
    got = peer.data()
    if upto == "data":
        return payload(peer)
    peer.send(b"250 2.0.0 queued\r\n")
    if peer.readline().upper().startswith(b"QUIT"):
        peer.send(b"221 2.0.0 bye\r\n")
    return got


def big_line(prefix):
    def act(peer):
        peer.send(prefix)
        peer.stream(lambda i: b"A" * 65536, BIG)
        peer.hold()
    return act


def endless(peer):
    peer.stream(lambda i: b"250-PIPELINING %d\r\n" % i)


def inconsistent(peer):
    peer.send(b"250-hostile.test\r\n250-PIPELINING\r\n550 SIZE 10\r\n")
    peer.hold()


def bare_lf(peer):
    peer.send(b"220 hostile.test ESMTP\n")
    peer.hold()


def drip(peer):
    peer.send(b"220-")
    peer.stream(lambda i: (time.sleep(0.2), b"x")[1])


def hostile_text(peer):
    peer.send(b"535 5.7.8 \x1b]0;pwned\x07\x1b[2J bad \x9b31m password"
              b"\x00\x08\r\n")
    peer.hold()


def garbage(peer):
    rnd = random.Random(20240305)
    junk = bytearray(rnd.getrandbits(8) for _ in range(256 * 1024))
    for pos, seq in ((0, b"\x1b]0;pwned\x07"), (5000, b"\x1b[2J\x1b[H"),
                     (9000, b"\x00\x00\r\n250 \x1b[31m"),
                     (20000, b"\x9b1;31m")):
        junk[pos:pos + len(seq)] = seq
    peer.send(bytes(junk))
    peer.hold()


def close_mid_reply(peer):
    peer.send(b"250-hostile.test\r\n250-PIPEL")
    time.sleep(0.2)


# (name, where the server turns, payload, expected error code or None
# when the message must be accepted, extra probe arguments)
SCENARIOS = [
    ("long-greeting", "greeting", big_line(b"220 "), "ERR_TOOBIG", []),
    ("long-ehlo-line", "ehlo", big_line(b"250-"), "ERR_TOOBIG", []),
    ("endless-ehlo", "ehlo", endless, "ERR_TOOBIG", []),
    ("inconsistent-codes", "ehlo", inconsistent, "ERR_PROTOCOL", []),
    ("bare-lf", "greeting", bare_lf, "ERR_PROTOCOL", []),
    ("no-greeting", "greeting", Peer.hold, "ERR_TIMEOUT", []),
    ("drip-greeting", "greeting", drip, "ERR_TIMEOUT", []),
    ("hostile-text", "auth", hostile_text, "ERR_AUTH",
     ["--user", "alice", "--allow-plaintext-auth"]),
    ("garbage", "ehlo", garbage, "ERR_PROTOCOL", []),
    ("close-mid-reply", "ehlo", close_mid_reply, "ERR_NET", []),
    ("silent-rcpt", "mail", Peer.hold, "ERR_TIMEOUT", []),
    ("endless-after-data", "data", endless, "ERR_TOOBIG", []),
    ("accept", "end", None, None, []),
]


def check_exit(status, killed, ok_wanted):
    """Problems with how the probe ended: 0, or 1 for an error."""
    return hostile.exit_problems(status, killed, ok_wanted, error_rc=1)


def run_scenario(probe, name, upto, payload, code, extra):
    tmp = tempfile.mkdtemp(prefix="petrel-smtp-hostile-")
    try:
        server = hostile.Server(lambda peer: honest(peer, upto, payload),
                                TIME_LIMIT, SERVER_CAP, "the probe")
        server.start()
        msg = os.path.join(tmp, "message")
        with open(msg, "wb") as f:
            f.write(MESSAGE)
        argv = [probe, "--timeout", "3000", "--greeting-timeout", "2000",
                "--connect-timeout", "3000", "--helo", "client.test",
                "--from", "a@client.test"] + extra + \
            ["127.0.0.1", str(server.port), msg, "b@hostile.test"]
        env = dict(os.environ, PETREL_SMTP_PASSWORD=PASSWORD, LC_ALL="C.UTF-8")
        run = hostile.run_watched(argv, env, tmp, TIME_LIMIT, RSS_KILL_MB)
        status, _, _, stdout, stderr, killed = run
        server.give_up()
        server.join(SERVER_CAP + 5)
        problems = hostile.run_problems(run, server, TIME_LIMIT, RSS_LIMIT_MB)
        problems += check_exit(status, killed, code is None)
        if not killed and code is not None:
            problems += hostile.stderr_problems(
                stderr, b"error: %s: " % code.encode())
        if code is None and server.result != MESSAGE_DATA:
            problems.append("the server got %r" % (server.result or b"")[:200])
        if PASSWORD.encode() in stdout + stderr:
            problems.append("the password reached the output")
        last = stdout.decode("utf-8", "replace").strip().splitlines()
        return hostile.report(name, problems, run, server,
                              last[-1] if last else "")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def find_probe():
    """The smtp_probe binary, from SMTP_PROBE or PETREL_BUILDDIR/PETREL."""
    probe = os.environ.get("SMTP_PROBE")
    if not probe:
        build = os.environ.get("PETREL_BUILDDIR")
        if not build and os.environ.get("PETREL"):
            build = os.path.dirname(os.environ["PETREL"])
        if build:
            probe = os.path.join(build, "tests", "tools", "smtp_probe")
    return probe


def main():
    probe = find_probe()
    if not probe or not os.path.isfile(probe) or not os.access(probe, os.X_OK):
        print("FAIL: smtp_probe not found (%s); set SMTP_PROBE or "
              "PETREL_BUILDDIR (make tests/tools/smtp_probe)" % probe)
        return 1
    probe = os.path.abspath(probe)
    return hostile.main_loop(
        "smtp-hostile", SCENARIOS,
        lambda name, upto, payload, code, extra: run_scenario(
            probe, name, upto, payload, code, extra),
        sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
