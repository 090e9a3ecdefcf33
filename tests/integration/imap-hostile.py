#!/usr/bin/env python3
"""imap-hostile.py - a hostile IMAP server against `petrel sync`.

Each scenario runs a small IMAP server on 127.0.0.1 (a port the kernel
picks) that behaves until one chosen command and then turns hostile:

  endless-literal   a FETCH with a {4294967295} literal, then bytes forever
  literal-64mib     a {67108864} literal (the body cap) inside an ENVELOPE
  long-line         a 10 MB line without CRLF, then silence
  garbage           random bytes (NUL, 8-bit, terminal escapes) after the
                    greeting
  nested-parens     a FETCH response with 100,000 nested parentheses
  untagged-flood    an endless flood of untagged responses, no tagged reply
  close-mid-line    the connection closed in the middle of a FETCH response

For each, `petrel -F CONFIG sync test` (security = none, fresh HOME and
XDG_* directories) must: exit non-zero and not by a signal, print exactly
one line on stderr, starting "petrel: " and free of control characters,
finish within TIME_LIMIT seconds, and keep its peak RSS (the kernel's
ru_maxrss from wait4, checked against /proc/PID/status while it runs)
under RSS_LIMIT_MB (200 MB).  ru_maxrss survives exec, so the figure
includes the forking Python's own RSS (about 10 MB): it errs high.

Usage: PETREL=/path/to/petrel imap-hostile.py [scenario...]
       (HOSTILE_RSS_LIMIT_MB=N changes the 200 MB limit, e.g. for ASan)
Python 3 standard library only.  Exit status 0 if every scenario passed,
1 otherwise; a missing or non-executable PETREL is a failure, not a skip.
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

TIME_LIMIT = 30.0         # seconds petrel may take, per scenario
# Peak resident set size allowed; a sanitizer build needs more (ASan keeps
# freed memory in quarantine): HOSTILE_RSS_LIMIT_MB=400 for those.
RSS_LIMIT_MB = int(os.environ.get("HOSTILE_RSS_LIMIT_MB", "200"))
RSS_KILL_MB = 1024        # kill petrel early past this, to spare the machine
SERVER_CAP = 45.0         # a hostile stream never runs longer than this
OP_TIMEOUT = 5            # petrel's "timeout" setting, seconds

GREETING = b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hostile ready\r\n"
FIELDS = (b"Date: Mon, 1 Feb 2021 10:00:00 +0000\r\nSubject: hi\r\n"
          b"From: A <a@example.org>\r\nMessage-ID: <x@y>\r\n\r\n")
FETCH_OK = (b'* 1 FETCH (UID 1 FLAGS () INTERNALDATE "01-Feb-2021 10:00:00 '
            b'+0000" RFC822.SIZE 10 BODY[HEADER.FIELDS (DATE FROM TO CC SUBJECT '
            b'MESSAGE-ID IN-REPLY-TO REFERENCES)] {%d}\r\n' % len(FIELDS)
            + FIELDS + b')\r\n')


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

    def stream(self, chunk):
        """Send chunk again and again until petrel hangs up or time runs out."""
        while not self.expired():
            if not self.send(chunk):
                return

    def hold(self):
        """Keep the connection open, reading and dropping what petrel sends,
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


def split_command(line):
    """(tag, upper-case command words) of a client line."""
    words = line.decode("utf-8", "replace").rstrip("\r\n").split(" ")
    tag = words[0] if words else "*"
    cmd = [w.upper() for w in words[1:3]]
    if cmd and cmd[0] == "UID":
        cmd = cmd[1:]
    return tag, cmd[0] if cmd else ""


def serve(peer, trigger, payload):
    """Answer like a small, honest server until the command named trigger
    (or at once when trigger is None), then hand over to payload."""
    if trigger is None:
        payload(peer, "*")
        return
    if not peer.send(GREETING):
        return
    while not peer.expired():
        line = peer.readline()
        if not line:
            return
        tag, cmd = split_command(line)
        t = tag.encode()
        if cmd == trigger:
            payload(peer, tag)
            return
        if cmd == "AUTHENTICATE" and len(line.split()) < 4:
            peer.send(b"+ \r\n")
            peer.readline()
            reply = t + b" OK [CAPABILITY IMAP4rev1] Logged in\r\n"
        elif cmd in ("AUTHENTICATE", "LOGIN"):
            reply = t + b" OK [CAPABILITY IMAP4rev1] Logged in\r\n"
        elif cmd == "CAPABILITY":
            reply = (b"* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\n" + t
                     + b" OK done\r\n")
        elif cmd in ("LIST", "LSUB"):
            reply = b'* LIST (\\HasNoChildren) "/" INBOX\r\n' + t + b" OK done\r\n"
        elif cmd in ("SELECT", "EXAMINE"):
            reply = (b"* 1 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] ok\r\n"
                     b"* OK [UIDNEXT 2] ok\r\n" + t + b" OK [READ-WRITE] done\r\n")
        elif cmd == "FETCH":
            reply = FETCH_OK + t + b" OK done\r\n"
        elif cmd == "LOGOUT":
            peer.send(b"* BYE bye\r\n" + t + b" OK done\r\n")
            return
        else:
            reply = t + b" OK done\r\n"
        if not peer.send(reply):
            return


def endless_literal(peer, tag):
    peer.send(b"* 1 FETCH (UID 1 BODY[] {4294967295}\r\n")
    peer.stream(b"A" * 65536)


def literal_64mib(peer, tag):
    peer.send(b'* 1 FETCH (UID 1 ENVELOPE ("Mon, 1 Feb 2021" {67108864}\r\n')
    chunk = b"B" * 65536
    for _ in range(67108864 // len(chunk)):
        if not peer.send(chunk):
            return
    peer.send(b" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n")
    peer.hold()


def long_line(peer, tag):
    peer.send(b'* LIST () "/" ')
    chunk = b"x" * 65536
    for _ in range(10 * 1024 * 1024 // len(chunk)):
        if not peer.send(chunk):
            return
    peer.hold()


def garbage(peer, tag):
    peer.send(GREETING)
    rnd = random.Random(20240305)
    junk = bytearray(rnd.getrandbits(8) for _ in range(256 * 1024))
    # Terminal escapes and NUL bytes must never reach the terminal.
    for pos, seq in ((100, b"\x1b]0;pwned\x07"), (5000, b"\x1b[2J\x1b[H"),
                     (9000, b"\x00\x00\r\n* OK \x1b[31mred\r\n"),
                     (20000, b"\x9b1;31m")):
        junk[pos:pos + len(seq)] = seq
    peer.send(bytes(junk))
    peer.hold()


def nested_parens(peer, tag):
    n = 100000
    peer.send(b"* 1 FETCH (UID 1 BODYSTRUCTURE " + b"(" * n + b")" * n
              + b")\r\n")
    peer.hold()


def untagged_flood(peer, tag):
    batch = b"".join(b"* %d EXISTS\r\n* OK [ALERT] flood %d\r\n"
                     b"* %d FETCH (FLAGS (\\Seen))\r\n* 1 RECENT\r\n"
                     % (i + 2, i, i % 7 + 1) for i in range(2000))
    peer.stream(batch)


def close_mid_line(peer, tag):
    peer.send(b'* 1 FETCH (UID 1 FLAGS (\\Seen) BODY[HEADER.FIELDS (DATE)] '
              b'"Date: Mon, 1 Feb 2021 10:00:00 +0000 half a da')
    time.sleep(0.2)


SCENARIOS = [
    ("endless-literal", "FETCH", endless_literal),
    ("literal-64mib", "FETCH", literal_64mib),
    ("long-line", "LIST", long_line),
    ("garbage", None, garbage),
    ("nested-parens", "FETCH", nested_parens),
    ("untagged-flood", "SELECT", untagged_flood),
    ("close-mid-line", "FETCH", close_mid_line),
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


def run_petrel(petrel, cfg, tmp):
    """Run petrel sync; (wait status, seconds, peak RSS KiB, stdout, stderr,
    reason it was killed or None)."""
    env = dict(os.environ, HOME=tmp, XDG_DATA_HOME=os.path.join(tmp, "data"),
               XDG_CONFIG_HOME=os.path.join(tmp, "config"), LC_ALL="C.UTF-8")
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
                os.execve(petrel, [petrel, "-F", cfg, "sync", "test"], env)
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


def run_scenario(petrel, name, trigger, payload):
    tmp = tempfile.mkdtemp(prefix="petrel-hostile-")
    try:
        server = Server(trigger, payload)
        server.start()
        cfg = os.path.join(tmp, "config.ini")
        with open(cfg, "w") as f:
            f.write("[account test]\ndriver = imap\nhost = 127.0.0.1\n"
                    "port = %d\nuser = user\npassword = hostile-pw\n"
                    "security = none\nallow_plaintext_auth = yes\n"
                    "timeout = %d\nconnect_timeout = 5\n"
                    % (server.port, OP_TIMEOUT))
        os.chmod(cfg, 0o600)
        status, elapsed, hwm, stdout, stderr, killed = run_petrel(petrel, cfg, tmp)
        server.give_up()
        server.join(SERVER_CAP + 5)
        problems = []
        if killed:
            problems.append("killed: " + killed)
        if server.error:
            problems.append(server.error)
        if os.WIFSIGNALED(status):
            if not killed:
                problems.append("died of signal %d" % os.WTERMSIG(status))
        else:
            rc = os.WEXITSTATUS(status)
            if rc == 0:
                problems.append("exit status 0, wanted an error")
            elif rc >= 126:
                problems.append("exit status %d (exec failure or a shell "
                                "reporting a signal)" % rc)
        if elapsed > TIME_LIMIT:
            problems.append("took %.1f s, limit %.0f s" % (elapsed, TIME_LIMIT))
        if hwm > RSS_LIMIT_MB * 1024:
            problems.append("peak RSS %.1f MB, limit %d MB"
                            % (hwm / 1024, RSS_LIMIT_MB))
        if not killed:
            problems += check_stderr(stderr)
        if b"hostile-pw" in stdout + stderr:
            problems.append("the password reached the output")
        err_line = stderr.decode("utf-8", "replace").rstrip("\n")
        detail = "%.1f s, peak RSS %.1f MB, server sent %d bytes" % (
            elapsed, hwm / 1024, server.sent)
        if problems:
            print("FAIL %s: %s\n     (%s)\n     stderr: %r"
                  % (name, "; ".join(problems), detail, err_line[:600]))
            return False
        print("ok   %s (%s)\n     %s" % (name, detail, err_line[:300]))
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
    for name, trigger, payload in SCENARIOS:
        if only and name not in only:
            continue
        ok = run_scenario(petrel, name, trigger, payload) and ok
    print("imap-hostile: %s" % ("all passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
