#!/usr/bin/env python3
"""smtp-cut.py - a loopback relay between an SMTP client and a server
that can cut the connection in the middle of the message data.

It listens on 127.0.0.1 (a port the kernel picks, printed as the first
line of stdout), and for each client connects to 127.0.0.1:TARGET and
copies bytes both ways.  It watches the server's replies for the 354
that opens the data; with --cut-after N, once the client has sent N
bytes after that 354, it closes both sides at once (without forwarding
more), as a network failure in the middle of DATA would.  With
--cut-after 0 it only relays; with --stall, at that point it neither
forwards nor closes anything more (a server that hangs in the middle of
the data, while the test kills the client).  Plain text only (the data
must be visible): use it in front of a port without TLS.

Each connection's outcome is appended to --log as one line:
    conn N: cut after M data bytes
    conn N: stalled after M data bytes      (written when it happens)
    conn N: relayed, C bytes from the client (D after 354)

Usage: smtp-cut.py --target PORT [--cut-after N [--stall]] --log FILE
Runs until killed (the test stops it by its PID).  Python 3 standard
library only.
"""

import argparse
import socket
import sys
import threading


class Conn:
    """One relayed connection and what was seen on it."""

    def __init__(self, num, client, server, cut_after, log, stall=False):
        self.num = num
        self.stall = stall
        self.client = client
        self.server = server
        self.cut_after = cut_after
        self.log = log
        self.lock = threading.Lock()
        self.in_data = False
        self.from_client = 0
        self.data_bytes = 0
        self.closed = False
        self.cut = False
        self.reply_buf = b""

    def close_both(self):
        """Close both sockets (once)."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for s in (self.client, self.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def note_server(self, data):
        """Watch the server's replies for a 354."""
        self.reply_buf = (self.reply_buf + data)[-4096:]
        lines = self.reply_buf.split(b"\r\n")
        self.reply_buf = lines[-1]
        for line in lines[:-1]:
            if line.startswith(b"354"):
                with self.lock:
                    self.in_data = True

    def server_to_client(self):
        """Copy the server's bytes to the client."""
        try:
            while True:
                data = self.server.recv(65536)
                if not data:
                    break
                self.note_server(data)
                self.client.sendall(data)
        except OSError:
            pass
        self.close_both()

    def client_to_server(self):
        """Copy the client's bytes to the server, cutting when told."""
        try:
            while True:
                data = self.client.recv(65536)
                if not data:
                    break
                with self.lock:
                    in_data = self.in_data
                self.from_client += len(data)
                if in_data and self.cut_after > 0:
                    room = self.cut_after - self.data_bytes
                    if len(data) >= room:
                        self.server.sendall(data[:room])
                        self.data_bytes += room
                        self.cut = True
                        if self.stall:
                            self.hang()
                        break
                if in_data:
                    self.data_bytes += len(data)
                self.server.sendall(data)
        except OSError:
            pass
        self.close_both()

    def hang(self):
        """--stall: say so, then hold both sides open, silent, until the
        relay is killed (the client waits, as for a server that hangs)."""
        with open(self.log, "a", encoding="ascii") as f:
            f.write("conn %d: stalled after %d data bytes\n"
                    % (self.num, self.data_bytes))
        threading.Event().wait()

    def run(self):
        """Relay until one side ends, then log what happened."""
        t = threading.Thread(target=self.server_to_client, daemon=True)
        t.start()
        self.client_to_server()
        t.join(10)
        with open(self.log, "a", encoding="ascii") as f:
            if self.cut:
                f.write("conn %d: cut after %d data bytes\n"
                        % (self.num, self.data_bytes))
            else:
                f.write("conn %d: relayed, %d bytes from the client "
                        "(%d after 354)\n"
                        % (self.num, self.from_client, self.data_bytes))


def main():
    """Listen, print the port, relay every connection."""
    ap = argparse.ArgumentParser(description="SMTP relay that cuts DATA")
    ap.add_argument("--target", type=int, required=True)
    ap.add_argument("--cut-after", type=int, default=0)
    ap.add_argument("--stall", action="store_true",
                    help="at the cut, hang instead of closing")
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(8)
    print(lsock.getsockname()[1], flush=True)
    num = 0
    while True:
        client, _ = lsock.accept()
        num += 1
        try:
            server = socket.create_connection(("127.0.0.1", args.target), 10)
        except OSError as e:
            print("smtp-cut: cannot reach the server: %s" % e,
                  file=sys.stderr)
            client.close()
            continue
        server.settimeout(None)
        conn = Conn(num, client, server, args.cut_after, args.log,
                    args.stall)
        threading.Thread(target=conn.run, daemon=True).start()


if __name__ == "__main__":
    main()
