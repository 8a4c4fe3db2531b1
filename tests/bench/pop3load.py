#!/usr/bin/env python3
"""tests/bench/pop3load.py — POP3 load generator for tests/bench/pop3.sh.

  pop3load.py logins PORT CLIENTS COUNT USERFILE
      CLIENTS processes each do COUNT sessions USER/PASS/QUIT, with the
      users of USERFILE ("user password" lines) in turn. Prints
      logins_s=<n> failed=<n> secs=<n>.
  pop3load.py retr PORT CLIENTS USER PASSWORD [COMM...]
      CLIENTS processes each log in once and RETR every message in turn
      (one command at a time, as mail clients do), then QUIT. Prints
      mb_s=<n> bytes=<n> msgs=<n> secs=<n>; with COMM names it samples
      VmHWM of every process with such a name during the run and prints
      rss_<comm>_kb=<max>.
Exit status 1 when a login or a command fails (figures still printed).
"""
import multiprocessing, os, socket, sys, threading, time


def conn(port):
    s = socket.create_connection(('127.0.0.1', port), 30)
    s.settimeout(60)
    return s


class Client:
    def __init__(self, port):
        self.s = conn(port)
        self.buf = b''
        self.line()

    def line(self):
        while b'\n' not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError('connection closed')
            self.buf += d
        l, self.buf = self.buf.split(b'\n', 1)
        return l

    def cmd(self, c):
        self.s.sendall(c + b'\r\n')
        l = self.line()
        if not l.startswith(b'+OK'):
            raise RuntimeError('%r -> %r' % (c, l))
        return l

    def multi(self):
        """The rest of a multi-line answer after its +OK line; octets."""
        n = 0
        while len(self.buf) < 3:
            d = self.s.recv(262144)
            if not d:
                raise EOFError('connection closed in a multi-line answer')
            self.buf += d
        if self.buf.startswith(b'.\r\n'):      # an empty answer
            self.buf = self.buf[3:]
            return 0
        while True:
            i = self.buf.find(b'\r\n.\r\n')
            if i >= 0:
                n += i + 2
                self.buf = self.buf[i + 5:]
                return n
            # keep 4 bytes: the terminator may straddle two reads
            if len(self.buf) > 4:
                n += len(self.buf) - 4
                self.buf = self.buf[-4:]
            d = self.s.recv(262144)
            if not d:
                raise EOFError('connection closed in a multi-line answer')
            self.buf += d

    def login(self, user, pw):
        self.cmd(b'USER ' + user)
        self.cmd(b'PASS ' + pw)

    def quit(self):
        try:
            self.cmd(b'QUIT')
        finally:
            self.s.close()


def do_logins(port, count, users, start, q):
    fails = 0
    for i in range(count):
        u, p = users[(start + i) % len(users)]
        try:
            c = Client(port)
            c.login(u, p)
            c.quit()
        except Exception as e:
            fails += 1
            if fails == 1:
                sys.stderr.write('login failed: %s\n' % e)
    q.put(fails)


def do_retr(port, user, pw, q):
    total = msgs = 0
    try:
        c = Client(port)
        c.login(user, pw)
        n = int(c.cmd(b'STAT').split()[1])
        for i in range(1, n + 1):
            c.s.sendall(b'RETR %d\r\n' % i)
            l = c.line()
            if not l.startswith(b'+OK'):
                raise RuntimeError('RETR %d -> %r' % (i, l))
            total += c.multi()
            msgs += 1
        c.quit()
        q.put((total, msgs, 0))
    except Exception as e:
        sys.stderr.write('retr failed: %s\n' % e)
        q.put((total, msgs, 1))


def sampler(comms, peak, stop):
    while not stop.is_set():
        for p in os.listdir('/proc'):
            if not p.isdigit():
                continue
            try:
                with open('/proc/%s/status' % p) as f:
                    st = f.read()
            except OSError:
                continue
            name = st.split('\n', 1)[0].split('\t', 1)[1]
            if name not in comms:
                continue
            for l in st.split('\n'):
                if l.startswith('VmHWM:'):
                    kb = int(l.split()[1])
                    peak[name] = max(peak.get(name, 0), kb)
        stop.wait(0.02)


def run(procs):
    for p in procs:
        p.start()
    for p in procs:
        p.join()


def main():
    mode, port, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    q = multiprocessing.Queue()
    if mode == 'logins':
        count = int(sys.argv[4])
        users = [l.split()[:2] for l in open(sys.argv[5]) if l.strip()]
        users = [(u.encode(), p.encode()) for u, p in users]
        procs = [multiprocessing.Process(target=do_logins, args=(port, count, users, i, q))
                 for i in range(clients)]
        t0 = time.time()
        run(procs)
        secs = time.time() - t0
        fails = sum(q.get() for _ in procs)
        print('logins_s=%.0f failed=%d secs=%.2f' % ((clients * count - fails) / secs, fails, secs))
        sys.exit(1 if fails else 0)
    user, pw = sys.argv[4].encode(), sys.argv[5].encode()
    comms = set(sys.argv[6:])
    peak, stop = {}, threading.Event()
    th = threading.Thread(target=sampler, args=(comms, peak, stop))
    if comms:
        th.start()
    procs = [multiprocessing.Process(target=do_retr, args=(port, user, pw, q))
             for _ in range(clients)]
    t0 = time.time()
    run(procs)
    secs = time.time() - t0
    stop.set()
    if comms:
        th.join()
    res = [q.get() for _ in procs]
    total = sum(r[0] for r in res)
    msgs = sum(r[1] for r in res)
    bad = sum(r[2] for r in res)
    out = 'mb_s=%.1f bytes=%d msgs=%d secs=%.2f' % (total / secs / 1e6, total, msgs, secs)
    for c in sorted(comms):
        out += ' rss_%s_kb=%d' % (c.replace('-', '_'), peak.get(c, 0))
    print(out)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
