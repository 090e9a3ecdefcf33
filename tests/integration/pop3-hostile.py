#!/usr/bin/env python3
"""pop3-hostile.py - a hostile POP3 server against `petrel sync`.

Each scenario runs a small POP3 server on 127.0.0.1 (a port the kernel
picks) that behaves (CAPA with PIPELINING, USER/PASS, two messages) until
one chosen command, then does something a broken or hostile server does:

  endless-top         TOP answered with header lines forever, never "."
  endless-uidl        UIDL answered with new listing lines forever
  long-greeting       a 10 MB greeting without a line end, then silence
  long-status         a 10 MB status line (answer to USER), then silence
  long-listing-line   a 10 MB line inside the UIDL answer
  early-dot           a TOP answer with a bare "." line inside (a server
                      that forgot to dot-stuff): what follows is not a reply
  garbage             random bytes (NUL, 8-bit, terminal escapes) after
                      the greeting
  hostile-text        PASS refused with terminal escapes in the text
  close-mid-reply     the connection closed in the middle of a TOP answer
  long-message-line   (must work) a 10 MB header line in a TOP answer
  dot-stuffing        (must work) "..", a lone ".x" and ".\\r" lines in a
                      TOP answer: ".Subject: lone dot" is the Subject

For each, `petrel -F CONFIG sync test` (security = none, fresh HOME and
XDG_* directories) must finish within TIME_LIMIT seconds, not by a signal,
with a peak RSS (ru_maxrss from wait4, checked against /proc/PID/status
while it runs) under RSS_LIMIT_MB (200 MB).  The failing scenarios must
exit non-zero with exactly one line on stderr, starting "petrel: " and
free of control characters; the two that must work must exit 0 and
`petrel ls test INBOX` must show the subject they carry.  ru_maxrss
survives exec, so the figure includes the forking Python's own RSS
(about 10 MB): it errs high.

Usage: PETREL=/path/to/petrel pop3-hostile.py [scenario...]
       (HOSTILE_RSS_LIMIT_MB=N changes the 200 MB limit, e.g. for ASan)
Python 3 standard library only.  Exit status 0 if every scenario passed,
1 otherwise; a missing or non-executable PETREL is a failure, not a skip.
"""

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TIME_LIMIT = 45.0         # seconds petrel may take, per scenario
RSS_LIMIT_MB = int(os.environ.get("HOSTILE_RSS_LIMIT_MB", "200"))
RSS_KILL_MB = 1024        # kill petrel early past this, to spare the machine
SERVER_CAP = 60.0         # a hostile stream never runs longer than this
OP_TIMEOUT = 5            # petrel's "timeout" setting, seconds
TEN_MB = 10 * 1024 * 1024

GREETING = b"+OK hostile POP3 ready\r\n"
CAPA = b"+OK\r\nTOP\r\nUIDL\r\nUSER\r\nPIPELINING\r\nRESP-CODES\r\n.\r\n"
HEADER = (b"Date: Mon, 1 Feb 2021 10:00:00 +0000\r\nFrom: A <a@example.org>\r\n"
          b"Subject: message %d\r\nMessage-ID: <%d@example.org>\r\n\r\n")


class Peer:
    """The accepted connection, with helpers that survive a hang-up."""

    def __init__(self, conn):
        self.conn = conn
        self.rfile = conn.makefile("rb")
        self.start = time.monotonic()
        self.sent = 0

    def send(self, data):
        """Send all of data; False once petrel has gone."""
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

    def stream(self, make):
        """Send make(i) for i = 0, 1, ... until petrel hangs up."""
        i = 0
        while not self.expired():
            if not self.send(make(i)):
                return
            i += 1

    def hold(self):
        """Keep the connection open, reading and dropping what petrel
        sends, until it hangs up or time runs out."""
        self.conn.settimeout(0.5)
        while not self.expired():
            try:
                if not self.conn.recv(65536):
                    return
            except socket.timeout:
                continue
            except OSError:
                return


def honest(peer, verb, args):
    """The honest answer to a command; None after QUIT."""
    if verb == "CAPA":
        return CAPA
    if verb in ("USER", "PASS", "NOOP", "RSET"):
        return b"+OK\r\n"
    if verb == "UIDL":
        return b"+OK\r\n1 uid-1\r\n2 uid-2\r\n.\r\n"
    if verb == "LIST":
        return b"+OK 2 messages\r\n1 150\r\n2 150\r\n.\r\n"
    if verb in ("TOP", "RETR") and args and args[0] in ("1", "2"):
        n = int(args[0])
        return b"+OK\r\n" + HEADER % (n, n) + b".\r\n"
    if verb == "QUIT":
        peer.send(b"+OK bye\r\n")
        return None
    return b"-ERR unknown command\r\n"


def serve(peer, trigger, payload):
    """Answer honestly until the command named trigger (or at once when
    trigger is None), then let payload act; it returns True to go on
    answering honestly."""
    if trigger is None:
        payload(peer, [])
        return
    if not peer.send(GREETING):
        return
    fired = False
    while not peer.expired():
        line = peer.readline()
        if not line:
            return
        words = line.decode("utf-8", "replace").split()
        verb = words[0].upper() if words else ""
        if verb == trigger and not fired:
            fired = True
            if not payload(peer, words[1:]):
                return
            continue
        reply = honest(peer, verb, words[1:])
        if reply is None or not peer.send(reply):
            return


def endless_top(peer, args):
    peer.send(b"+OK\r\n")
    peer.stream(lambda i: b"X-Junk-%d: %s\r\n" % (i, b"a" * 200))


def endless_uidl(peer, args):
    peer.send(b"+OK\r\n")
    peer.stream(lambda i: b"".join(b"%d uid-%d-%d\r\n" % (i * 100 + k + 1, i, k)
                                   for k in range(100)))


def ten_mb(peer, prefix):
    """Send prefix and then 10 MB without a line end; hold the line."""
    peer.send(prefix)
    chunk = b"x" * 65536
    for _ in range(TEN_MB // len(chunk)):
        if not peer.send(chunk):
            return
    peer.hold()


def long_greeting(peer, args):
    ten_mb(peer, b"+OK ")


def long_status(peer, args):
    ten_mb(peer, b"+OK ")


def long_listing_line(peer, args):
    ten_mb(peer, b"+OK\r\n1 ")


def early_dot(peer, args):
    peer.send(b"+OK\r\nSubject: early\r\n\r\n.\r\nmore text after a bare dot"
              b"\r\n.\r\n")
    return True


def garbage(peer, args):
    peer.send(GREETING)
    rnd = random.Random(20240305)
    junk = bytearray(rnd.getrandbits(8) for _ in range(256 * 1024))
    for pos, seq in ((0, b"* "), (100, b"\x1b]0;pwned\x07"),
                     (5000, b"\x1b[2J\x1b[H"), (9000, b"\x00\x00\r\n-ERR \x1b[31m"),
                     (20000, b"\x9b1;31m")):
        junk[pos:pos + len(seq)] = seq
    peer.send(bytes(junk))
    peer.hold()


def hostile_text(peer, args):
    peer.send(b"-ERR [AUTH] \x1b]0;pwned\x07\x1b[2J bad \x9b31m password\r\n")
    peer.hold()


def close_mid_reply(peer, args):
    peer.send(b"+OK\r\nDate: Mon, 1 Feb 2021 10:00:00 +0000\r\nSubject: ha")
    time.sleep(0.2)


def long_message_line(peer, args):
    n = int(args[0]) if args and args[0] in ("1", "2") else 1
    peer.send(b"+OK\r\nSubject: big one\r\nX-Big: ")
    chunk = b"y" * 65536
    for _ in range(TEN_MB // len(chunk)):
        if not peer.send(chunk):
            return False
    peer.send(b"\r\nMessage-ID: <%d@example.org>\r\n\r\n.\r\n" % n)
    return True


def dot_stuffing(peer, args):
    peer.send(b"+OK\r\n..X-Dots: two\r\n.Subject: lone dot\r\n"
              b"From: b@example.org\r\n.\rX-CR: y\r\n..\r\n\r\n.\r\n")
    return True


# (name, trigger command, payload, what must be in `petrel ls` or None
# when the sync must fail)
SCENARIOS = [
    ("endless-top", "TOP", endless_top, None),
    ("endless-uidl", "UIDL", endless_uidl, None),
    ("long-greeting", None, long_greeting, None),
    ("long-status", "USER", long_status, None),
    ("long-listing-line", "UIDL", long_listing_line, None),
    ("early-dot", "TOP", early_dot, None),
    ("garbage", None, garbage, None),
    ("hostile-text", "PASS", hostile_text, None),
    ("close-mid-reply", "TOP", close_mid_reply, None),
    ("long-message-line", "TOP", long_message_line, "\tbig one"),
    ("dot-stuffing", "TOP", dot_stuffing, "\tlone dot"),
]


class Server(threading.Thread):
    """Serve one scenario to the first client that connects."""

    def __init__(self, trigger, payload):
        super().__init__(daemon=True)
        self.trigger = trigger
        self.payload = payload
        self.error = None
        self.sent = 0
        self.connected = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(TIME_LIMIT)
        self.port = self.sock.getsockname()[1]

    def give_up(self):
        """Petrel has exited: stop waiting for a connection it never made."""
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
            self.error = "petrel never connected (%s)" % e
            self.sock.close()
            return
        self.connected.set()
        conn.settimeout(TIME_LIMIT)
        peer = Peer(conn)
        try:
            serve(peer, self.trigger, self.payload)
        except OSError:
            pass            # petrel hung up: that is its right
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


def petrel_env(tmp):
    """The environment petrel runs in: everything under tmp."""
    return dict(os.environ, HOME=tmp, XDG_DATA_HOME=os.path.join(tmp, "data"),
                XDG_CONFIG_HOME=os.path.join(tmp, "config"),
                LC_ALL="C.UTF-8")


def run_petrel(petrel, cfg, tmp):
    """Run petrel sync; (wait status, seconds, peak RSS KiB, stdout, stderr,
    reason it was killed or None)."""
    out_path = os.path.join(tmp, "stdout")
    err_path = os.path.join(tmp, "stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                fd = os.open(os.devnull, os.O_RDONLY)
                os.dup2(fd, 0)
                os.execve(petrel, [petrel, "-F", cfg, "sync", "test"],
                          petrel_env(tmp))
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


def check_stderr(stderr):
    """Problems with petrel's stderr: one clean 'petrel: ' line wanted."""
    problems = []
    lines = stderr.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) != 1:
        problems.append("%d lines on stderr, wanted 1" % len(lines))
    if not stderr.startswith(b"petrel: "):
        problems.append("stderr does not start with 'petrel: '")
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


def check_ls(petrel, cfg, tmp, want):
    """Problems with `petrel ls test INBOX`: it must contain want."""
    run = subprocess.run([petrel, "-F", cfg, "ls", "test", "INBOX"],
                         env=petrel_env(tmp), capture_output=True, timeout=30)
    if run.returncode != 0:
        return ["petrel ls failed: %r" % run.stderr[:300]]
    if want.encode() not in run.stdout:
        return ["petrel ls does not show %r: %r" % (want, run.stdout[:300])]
    return []


def check_exit(status, killed, ok_wanted):
    """Problems with how petrel ended."""
    if os.WIFSIGNALED(status):
        return [] if killed else ["died of signal %d" % os.WTERMSIG(status)]
    rc = os.WEXITSTATUS(status)
    if ok_wanted and rc != 0:
        return ["exit status %d, wanted 0" % rc]
    if not ok_wanted and rc == 0:
        return ["exit status 0, wanted an error"]
    if rc >= 126:
        return ["exit status %d (exec failure or a shell reporting a "
                "signal)" % rc]
    return []


def run_scenario(petrel, name, trigger, payload, want):
    tmp = tempfile.mkdtemp(prefix="petrel-pop3-hostile-")
    try:
        server = Server(trigger, payload)
        server.start()
        cfg = os.path.join(tmp, "config.ini")
        with open(cfg, "w") as f:
            f.write("[account test]\ndriver = pop3\nhost = 127.0.0.1\n"
                    "port = %d\nuser = user\npassword = hostile-pw\n"
                    "security = none\nallow_plaintext_auth = yes\n"
                    "timeout = %d\nconnect_timeout = 5\n"
                    % (server.port, OP_TIMEOUT))
        os.chmod(cfg, 0o600)
        status, elapsed, hwm, stdout, stderr, killed = run_petrel(petrel, cfg, tmp)
        server.give_up()
        server.join(SERVER_CAP + 5)
        problems = ["killed: " + killed] if killed else []
        if server.error:
            problems.append(server.error)
        problems += check_exit(status, killed, want is not None)
        if elapsed > TIME_LIMIT:
            problems.append("took %.1f s, limit %.0f s" % (elapsed, TIME_LIMIT))
        if hwm > RSS_LIMIT_MB * 1024:
            problems.append("peak RSS %.1f MB, limit %d MB"
                            % (hwm / 1024, RSS_LIMIT_MB))
        if not killed and want is None:
            problems += check_stderr(stderr)
        if not killed and want is not None and not problems:
            problems += check_ls(petrel, cfg, tmp, want)
        if b"hostile-pw" in stdout + stderr:
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
                                          .strip()))
        return True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    petrel = os.environ.get("PETREL")
    if not petrel:
        print("FAIL: PETREL is not set (PETREL=/path/to/petrel %s)" % sys.argv[0])
        return 1
    if not os.path.isfile(petrel) or not os.access(petrel, os.X_OK):
        print("FAIL: PETREL=%s is not an executable file" % petrel)
        return 1
    petrel = os.path.abspath(petrel)
    only = sys.argv[1:]
    known = [s[0] for s in SCENARIOS]
    for name in only:
        if name not in known:
            print("FAIL: no scenario %r (have: %s)" % (name, ", ".join(known)))
            return 1
    ok = True
    for name, trigger, payload, want in SCENARIOS:
        if only and name not in only:
            continue
        ok = run_scenario(petrel, name, trigger, payload, want) and ok
    print("pop3-hostile: %s" % ("all passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
