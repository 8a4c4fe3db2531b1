#!/usr/bin/env python3
"""tests/bench/smtpload.py -- SMTP load generator for tests/bench/smtp.sh.

Usage: smtpload.py HOST PORT CLIENTS MESSAGES SIZE DOMAIN USERS NEWDIR_PATTERN

CLIENTS threads each open one SMTP connection and send MESSAGES
messages of SIZE bytes (headers included) over it (a minimal client on
a plain socket: MAIL, RCPT, DATA and the message, each awaiting its
reply, no pipelining), client i to user
u<(i % USERS) + 1>@DOMAIN. Latency is per message, from MAIL FROM to
the 250 after the final dot. NEWDIR_PATTERN names a user's Maildir
new/ directory with {user} for the local part; after sending, the
script waits (at most BENCH_WAIT seconds, default 60) until every
message is there, counting files.

Prints one line of key=value figures:
  sent= accepted= failed= secs= accepted_s= delivered= delivered_s= p50_ms= p99_ms=
  client_cpu= (this script's CPU while sending, % of one core)
delivered_s is delivered messages over the time from the first MAIL to
the last new/ file seen (polled every 10 ms). Exit 0 when every message
was accepted and delivered, 1 otherwise (the figures still print).
"""
import os
import socket
import sys
import threading
import time


def body(size, n):
    head = ("From: bench@client.test\r\nTo: bench@bench.test\r\n"
            "Subject: bench %d\r\nMessage-ID: <bench.%d@client.test>\r\n\r\n"
            % (n, n))
    line = ("x" * 74) + "\r\n"
    out = [head]
    left = size - len(head)
    while left > len(line):
        out.append(line)
        left -= len(line)
    out.append("y" * max(left - 2, 0) + "\r\n")
    out.append(".\r\n")   # no line starts with '.': nothing to stuff
    return "".join(out).encode()


class Conn:
    """A minimal SMTP client (plain socket, one reply per command): the
    load generator's own CPU stays small next to the servers'."""

    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=30)
        self.buf = b""
        self.reply(b"220")
        self.cmd(b"EHLO client.test\r\n", b"250")

    def reply(self, want):
        # a reply ends with a line "NNN " (multi-line replies use "NNN-")
        while True:
            end = self.buf.find(b"\r\n")
            while end >= 0:
                line = self.buf[:end]
                self.buf = self.buf[end + 2:]
                if len(line) < 4 or line[3:4] != b"-":
                    if line[:3] != want:
                        raise IOError(line.decode("latin-1"))
                    return
                end = self.buf.find(b"\r\n")
            data = self.s.recv(4096)
            if not data:
                raise IOError("connection closed")
            self.buf += data

    def cmd(self, data, want):
        self.s.sendall(data)
        self.reply(want)

    def close(self):
        self.s.close()


def count(dirs):
    total = 0
    for d in dirs:
        try:
            total += sum(1 for e in os.scandir(d) if not e.name.startswith("."))
        except FileNotFoundError:
            pass
    return total


def main():
    if len(sys.argv) != 9:
        sys.stderr.write(__doc__)
        return 100
    host, port = sys.argv[1], int(sys.argv[2])
    clients, msgs, size = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    domain, users, pattern = sys.argv[6], int(sys.argv[7]), sys.argv[8]
    wait_max = float(os.environ.get("BENCH_WAIT", "60"))
    dirs = [pattern.replace("{user}", "u%d" % (i + 1)) for i in range(users)]
    before = count(dirs)
    lat = []
    ok = [0]
    bad = [0]
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)

    def client(i):
        rcpt = "u%d@%s" % (i % users + 1, domain)
        mine = []
        good = 0
        errs = 0
        try:
            s = Conn(host, port)
        except Exception as e:  # count every message of this client as failed
            sys.stderr.write("client %d: connect: %s\n" % (i, e))
            start_gate.wait()
            with lock:
                bad[0] += msgs
            return
        payloads = [body(size, i * msgs + k) for k in range(msgs)]
        mail = b"MAIL FROM:<bench@client.test>\r\n"
        rcptcmd = ("RCPT TO:<%s>\r\n" % rcpt).encode()
        start_gate.wait()
        for k in range(msgs):
            t0 = time.monotonic()
            try:
                s.cmd(mail, b"250")
                s.cmd(rcptcmd, b"250")
                s.cmd(b"DATA\r\n", b"354")
                s.cmd(payloads[k], b"250")
                mine.append(time.monotonic() - t0)
                good += 1
            except Exception as e:
                errs += 1
                if errs <= 3:
                    sys.stderr.write("client %d msg %d: %s\n" % (i, k, e))
                try:
                    s.cmd(b"RSET\r\n", b"250")
                except Exception:
                    try:
                        s.close()
                        s = Conn(host, port)
                    except Exception:
                        errs += msgs - k - 1
                        break
        try:
            s.cmd(b"QUIT\r\n", b"221")
            s.close()
        except Exception:
            pass
        with lock:
            lat.extend(mine)
            ok[0] += good
            bad[0] += errs

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    t_start = time.monotonic()
    cpu0 = sum(os.times()[:2])
    for t in threads:
        t.join()
    t_sent = time.monotonic()
    cpu1 = sum(os.times()[:2])

    want = before + ok[0]
    last = t_start
    seen = count(dirs)
    if seen > before:
        last = time.monotonic()
    deadline = t_sent + wait_max
    while seen < want and time.monotonic() < deadline:
        time.sleep(0.01)
        n = count(dirs)
        if n != seen:
            seen = n
            last = time.monotonic()
    delivered = seen - before
    lat.sort()

    def pct(p):
        if not lat:
            return 0.0
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000

    send_secs = t_sent - t_start
    dlv_secs = max(last - t_start, 1e-9)
    print("sent=%d accepted=%d failed=%d secs=%.2f accepted_s=%.0f delivered=%d "
          "delivered_s=%.0f p50_ms=%.1f p99_ms=%.1f client_cpu=%.0f%%"
          % (clients * msgs, ok[0], bad[0], send_secs, ok[0] / send_secs,
             delivered, delivered / dlv_secs, pct(0.50), pct(0.99),
             100 * (cpu1 - cpu0) / send_secs))
    return 0 if ok[0] == clients * msgs and delivered == ok[0] else 1


if __name__ == "__main__":
    sys.exit(main())
