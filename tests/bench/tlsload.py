#!/usr/bin/env python3
"""tests/bench/tlsload.py — load generator for tests/bench/tls.sh.

  tlsload.py handshake PORT CLIENTS COUNT PROTO
      CLIENTS processes each open COUNT connections with implicit TLS
      (full handshakes, no session resumption), read the greeting, say
      QUIT, read the answer and close. PROTO is smtp or pop3.
      Prints: handshakes_s=N failed=N
  tlsload.py retr PORT TLS USER PASS
      One POP3 session (TLS 1: implicit TLS) that RETRs every message.
      Prints: mb_s=N bytes=N
Exit status 1 when any connection or command failed.
"""
import multiprocessing, socket, ssl, sys, time


def context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def handshakes(port, count, proto, q):
    ctx = context()
    ok = failed = 0
    quit_cmd = b'QUIT\r\n'
    for _ in range(count):
        try:
            s = socket.create_connection(('127.0.0.1', port), timeout=20)
            t = ctx.wrap_socket(s, server_hostname='bench.test')
            f = t.makefile('rb')
            g = f.readline()
            if not (g.startswith(b'220') or g.startswith(b'+OK')):
                raise OSError('greeting %r' % g)
            t.sendall(quit_cmd)
            f.readline()
            t.close()
            ok += 1
        except (OSError, ssl.SSLError):
            failed += 1
    q.put((ok, failed))


def do_handshake(port, clients, count, proto):
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=handshakes, args=(port, count, proto, q))
             for _ in range(clients)]
    t0 = time.monotonic()
    for p in procs:
        p.start()
    res = [q.get() for _ in procs]
    for p in procs:
        p.join()
    dt = time.monotonic() - t0
    ok = sum(r[0] for r in res)
    failed = sum(r[1] for r in res)
    print('handshakes_s=%.0f failed=%d' % (ok / dt, failed))
    return 1 if failed else 0


def do_retr(port, tls, user, pw):
    s = socket.create_connection(('127.0.0.1', port), timeout=60)
    if tls:
        s = context().wrap_socket(s, server_hostname='bench.test')
    f = s.makefile('rb', buffering=65536)

    def cmd(c):
        s.sendall(c + b'\r\n')
        r = f.readline()
        if not r.startswith(b'+OK'):
            raise OSError('%r: %r' % (c, r))
        return r
    if not f.readline().startswith(b'+OK'):
        raise OSError('greeting')
    cmd(b'USER ' + user)
    cmd(b'PASS ' + pw)
    n = int(cmd(b'STAT').split()[1])
    total = 0
    t0 = time.monotonic()
    for i in range(1, n + 1):
        cmd(b'RETR %d' % i)
        while True:
            line = f.readline()
            if not line:
                raise OSError('eof in RETR')
            if line == b'.\r\n':
                break
            total += len(line)
    dt = time.monotonic() - t0
    cmd(b'QUIT')
    print('mb_s=%.1f bytes=%d' % (total / dt / 1e6, total))
    return 0


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == 'handshake':
        return do_handshake(port, int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    if mode == 'retr':
        try:
            return do_retr(port, sys.argv[3] == '1', sys.argv[4].encode(), sys.argv[5].encode())
        except (OSError, ssl.SSLError, ValueError, IndexError) as e:
            print('error=%s' % e)
            return 1
    print(__doc__)
    return 100


if __name__ == '__main__':
    sys.exit(main())
