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
import signal
import socket
import sys
import tempfile
import threading
import time

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


class Peer:
    """The accepted connection, with helpers that survive a hang-up."""

    def __init__(self, conn):
        self.conn = conn
        self.rfile = conn.makefile("rb")
        self.start = time.monotonic()
        self.sent = 0

    def send(self, data):
        """Send all of data; False once the client has gone."""
        try:
            self.conn.sendall(data)
            self.sent += len(data)
            return True
        except OSError:
            return False

    def readline(self):
        try:
            return self.rfile.readline(1 << 20)
        except OSError:
            return b""

    def expired(self):
        return time.monotonic() - self.start > SERVER_CAP

    def stream(self, make, limit=None):
        """Send make(i) for i = 0, 1, ... until the client hangs up."""
        i = 0
        while not self.expired() and (limit is None or self.sent < limit):
            if not self.send(make(i)):
                return
            i += 1

    def hold(self):
        """Keep the connection open, dropping what the client sends,
        until it hangs up or time runs out."""
        self.conn.settimeout(0.5)
        while not self.expired():
            try:
                if not self.conn.recv(65536):
                    return
            except socket.timeout:
                continue
            except OSError:
                return

    def data(self):
        """Read message data up to the final dot; the bytes."""
        got = b""
        while not got.endswith(b"\r\n.\r\n") and not self.expired():
            line = self.readline()
            if not line:
                break
            got += line
        return got


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


class Server(threading.Thread):
    """Serve one scenario to the first client that connects."""

    def __init__(self, upto, payload):
        super().__init__(daemon=True)
        self.upto = upto
        self.payload = payload
        self.error = None
        self.sent = 0
        self.got = None
        self.connected = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(TIME_LIMIT)
        self.port = self.sock.getsockname()[1]

    def give_up(self):
        """The probe has exited: stop waiting for a connection."""
        if not self.connected.is_set():
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()

    def run(self):
        try:
            conn, _ = self.sock.accept()
        except OSError as e:
            self.error = "the probe never connected (%s)" % e
            self.sock.close()
            return
        self.connected.set()
        conn.settimeout(TIME_LIMIT)
        peer = Peer(conn)
        try:
            self.got = honest(peer, self.upto, self.payload)
        except OSError:
            pass            # the client hung up: that is its right
        finally:
            self.sent = peer.sent
            for f in (lambda: conn.shutdown(socket.SHUT_RDWR), conn.close,
                      self.sock.close):
                try:
                    f()
                except OSError:
                    pass


def vm_hwm_kb(pid):
    """VmHWM of a running process in KiB, or 0."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_probe(argv, tmp):
    """Run the probe; (wait status, seconds, peak RSS KiB, stdout,
    stderr, reason it was killed or None)."""
    out_path = os.path.join(tmp, "stdout")
    err_path = os.path.join(tmp, "stderr")
    env = dict(os.environ, PETREL_SMTP_PASSWORD=PASSWORD, LC_ALL="C.UTF-8")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                fd = os.open(os.devnull, os.O_RDONLY)
                os.dup2(fd, 0)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
    killed = None
    hwm = 0
    while True:
        wpid, status, usage = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            break
        hwm = max(hwm, vm_hwm_kb(pid))
        elapsed = time.monotonic() - start
        if killed is None and elapsed > TIME_LIMIT:
            killed = "still running after %.0f s" % TIME_LIMIT
        elif killed is None and hwm > RSS_KILL_MB * 1024:
            killed = "RSS passed %d MB" % RSS_KILL_MB
        if killed is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.02)
    elapsed = time.monotonic() - start
    hwm = max(hwm, usage.ru_maxrss)     # KiB on Linux
    with open(out_path, "rb") as f:
        stdout = f.read()
    with open(err_path, "rb") as f:
        stderr = f.read()
    return status, elapsed, hwm, stdout, stderr, killed


def check_stderr(stderr, code):
    """Problems with stderr: one clean 'error: CODE: ' line wanted."""
    problems = []
    lines = stderr.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) != 1:
        problems.append("%d lines on stderr, wanted 1" % len(lines))
    if not stderr.startswith(b"error: %s: " % code.encode()):
        problems.append("stderr does not start with 'error: %s: '" % code)
    try:
        text = stderr.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append("stderr is not valid UTF-8 (%s)" % e)
        text = stderr.decode("utf-8", "replace")
    bad = [c for c in text if (ord(c) < 0x20 and c != "\n")
           or 0x7f <= ord(c) <= 0x9f]
    if bad:
        problems.append("control characters on stderr: %r" % "".join(bad[:16]))
    return problems


def check_exit(status, killed, ok_wanted):
    """Problems with how the probe ended."""
    if os.WIFSIGNALED(status):
        return [] if killed else ["died of signal %d" % os.WTERMSIG(status)]
    rc = os.WEXITSTATUS(status)
    if ok_wanted and rc != 0:
        return ["exit status %d, wanted 0" % rc]
    if not ok_wanted and rc != 1:
        return ["exit status %d, wanted 1" % rc]
    return []


def run_scenario(probe, name, upto, payload, code, extra):
    tmp = tempfile.mkdtemp(prefix="petrel-smtp-hostile-")
    try:
        server = Server(upto, payload)
        server.start()
        msg = os.path.join(tmp, "message")
        with open(msg, "wb") as f:
            f.write(MESSAGE)
        argv = [probe, "--timeout", "3000", "--greeting-timeout", "2000",
                "--connect-timeout", "3000", "--helo", "client.test",
                "--from", "a@client.test"] + extra + \
            ["127.0.0.1", str(server.port), msg, "b@hostile.test"]
        status, elapsed, hwm, stdout, stderr, killed = run_probe(argv, tmp)
        server.give_up()
        server.join(SERVER_CAP + 5)
        problems = ["killed: " + killed] if killed else []
        if server.error:
            problems.append(server.error)
        problems += check_exit(status, killed, code is None)
        if elapsed > TIME_LIMIT:
            problems.append("took %.1f s, limit %.0f s" % (elapsed, TIME_LIMIT))
        if hwm > RSS_LIMIT_MB * 1024:
            problems.append("peak RSS %.1f MB, limit %d MB"
                            % (hwm / 1024, RSS_LIMIT_MB))
        if not killed and code is not None:
            problems += check_stderr(stderr, code)
        if code is None and server.got != MESSAGE_DATA:
            problems.append("the server got %r" % (server.got or b"")[:200])
        if PASSWORD.encode() in stdout + stderr:
            problems.append("the password reached the output")
        err_line = stderr.decode("utf-8", "replace").rstrip("\n")
        detail = "%.1f s, peak RSS %.1f MB, server sent %d bytes" % (
            elapsed, hwm / 1024, server.sent)
        if problems:
            print("FAIL %s: %s\n     (%s)\n     stderr: %r"
                  % (name, "; ".join(problems), detail, err_line[:600]))
            return False
        print("ok   %s (%s)\n     %s" % (name, detail, err_line[:300] or
                                          stdout.decode("utf-8", "replace")
                                          .strip().splitlines()[-1]))
        return True
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
    only = sys.argv[1:]
    known = [s[0] for s in SCENARIOS]
    for name in only:
        if name not in known:
            print("FAIL: no scenario %r (have: %s)" % (name, ", ".join(known)))
            return 1
    ok = True
    for name, upto, payload, code, extra in SCENARIOS:
        if only and name not in only:
            continue
        ok = run_scenario(probe, name, upto, payload, code, extra) and ok
    print("smtp-hostile: %s" % ("all passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
