"""hostile.py - what the hostile-server tests share.

imap-hostile.py, pop3-hostile.py and smtp-hostile.py each play one
protocol's broken or malicious server against petrel (or its SMTP probe);
this module holds the rest: the accepted connection (Peer), the one-shot
server thread (Server), running the client while watching its time and
memory (run_watched), the checks of how it ended and what it printed, and
the scenario loop with its summary line (main_loop).

Python 3 standard library only.
"""

import os
import signal
import socket
import threading
import time


class Peer:
    """The accepted connection, with helpers that survive a hang-up.  A
    hostile stream never runs longer than cap seconds."""

    def __init__(self, conn, cap):
        self.conn = conn
        self.rfile = conn.makefile("rb")
        self.start = time.monotonic()
        self.cap = cap
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
        return time.monotonic() - self.start > self.cap

    def stream(self, make, limit=None):
        """Send make(i) for i = 0, 1, ... (or the bytes make, again and
        again) until the client hangs up, time runs out, or limit bytes
        went out."""
        i = 0
        while not self.expired() and (limit is None or self.sent < limit):
            if not self.send(make(i) if callable(make) else make):
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
        """Read lines up to a final dot line (SMTP DATA); the bytes."""
        got = b""
        while not got.endswith(b"\r\n.\r\n") and not self.expired():
            line = self.readline()
            if not line:
                break
            got += line
        return got


class Server(threading.Thread):
    """Serve handler(peer) to the first client that connects on a port
    of 127.0.0.1 the kernel picks; its return value becomes .result."""

    def __init__(self, handler, time_limit, cap, client="petrel"):
        super().__init__(daemon=True)
        self.handler = handler
        self.cap = cap
        self.client = client
        self.time_limit = time_limit
        self.error = None
        self.result = None
        self.sent = 0
        self.connected = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(time_limit)
        self.port = self.sock.getsockname()[1]

    def give_up(self):
        """The client has exited: stop waiting for a connection it never
        made."""
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
            self.error = "%s never connected (%s)" % (self.client, e)
            self.sock.close()
            return
        self.connected.set()
        conn.settimeout(self.time_limit)
        peer = Peer(conn, self.cap)
        try:
            self.result = self.handler(peer)
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


def run_watched(argv, env, tmp, time_limit, rss_kill_mb):
    """Run argv (stdin /dev/null, output in files under tmp), killing it
    past time_limit seconds or rss_kill_mb MB; (wait status, seconds, peak
    RSS KiB, stdout, stderr, reason it was killed or None).  ru_maxrss
    survives exec, so the peak includes the forking Python (it errs high)."""
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
        if killed is None and elapsed > time_limit:
            killed = "still running after %.0f s" % time_limit
        elif killed is None and hwm > rss_kill_mb * 1024:
            killed = "RSS passed %d MB" % rss_kill_mb
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


def stderr_problems(stderr, prefix=b"petrel: "):
    """Problems with stderr: one clean line starting with prefix wanted."""
    problems = []
    lines = stderr.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) != 1:
        problems.append("%d lines on stderr, wanted 1" % len(lines))
    if not stderr.startswith(prefix):
        problems.append("stderr does not start with %r"
                        % prefix.decode("utf-8", "replace"))
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


def exit_problems(status, killed, ok_wanted, error_rc=None):
    """Problems with how the client ended: 0 when ok_wanted, else an
    error status (exactly error_rc if given; never an exec failure)."""
    if os.WIFSIGNALED(status):
        return [] if killed else ["died of signal %d" % os.WTERMSIG(status)]
    rc = os.WEXITSTATUS(status)
    if ok_wanted:
        return [] if rc == 0 else ["exit status %d, wanted 0" % rc]
    if error_rc is not None and rc != error_rc:
        return ["exit status %d, wanted %d" % (rc, error_rc)]
    if rc == 0:
        return ["exit status 0, wanted an error"]
    if rc >= 126:
        return ["exit status %d (exec failure or a shell reporting a "
                "signal)" % rc]
    return []


def run_problems(run, server, time_limit, rss_limit_mb):
    """The problems every scenario checks: killed, a server error, time
    and peak RSS over their limits.  run: what run_watched returned."""
    _, elapsed, hwm, _, _, killed = run
    problems = ["killed: " + killed] if killed else []
    if server.error:
        problems.append(server.error)
    if elapsed > time_limit:
        problems.append("took %.1f s, limit %.0f s" % (elapsed, time_limit))
    if hwm > rss_limit_mb * 1024:
        problems.append("peak RSS %.1f MB, limit %d MB"
                        % (hwm / 1024, rss_limit_mb))
    return problems


def report(name, problems, run, server, ok_text=""):
    """Print the scenario's verdict; True when it passed."""
    _, elapsed, hwm, _, stderr, _ = run
    err_line = stderr.decode("utf-8", "replace").rstrip("\n")
    detail = "%.1f s, peak RSS %.1f MB, server sent %d bytes" % (
        elapsed, hwm / 1024, server.sent)
    if problems:
        print("FAIL %s: %s\n     (%s)\n     stderr: %r"
              % (name, "; ".join(problems), detail, err_line[:600]))
        return False
    print("ok   %s (%s)\n     %s" % (name, detail, err_line[:300] or ok_text))
    return True


def main_loop(tool, scenarios, run_one, only):
    """Run the scenarios (tuples, name first; only those named in only,
    if any) through run_one(*scenario); print the summary line; the exit
    status."""
    known = [s[0] for s in scenarios]
    for name in only:
        if name not in known:
            print("FAIL: no scenario %r (have: %s)" % (name, ", ".join(known)))
            return 1
    ok = True
    for scenario in scenarios:
        if only and scenario[0] not in only:
            continue
        ok = run_one(*scenario) and ok
    print("%s: %s" % (tool, "all passed" if ok else "FAILED"))
    return 0 if ok else 1


def find_petrel(argv0):
    """The absolute path of $PETREL, or None after saying what is wrong."""
    petrel = os.environ.get("PETREL")
    if not petrel:
        print("FAIL: PETREL is not set (PETREL=/path/to/petrel %s)" % argv0)
        return None
    if not os.path.isfile(petrel) or not os.access(petrel, os.X_OK):
        print("FAIL: PETREL=%s is not an executable file" % petrel)
        return None
    return os.path.abspath(petrel)
