#!/bin/sh
# tests/t-smtp-e2e.sh — issue 3's "Must show" with real clients over TCP,
# run twice: behind qvmail's qvtcpserver and behind Debian's tcpserver.
# A sandbox made like `make demo` (make setup, vadddomain, vadduser,
# tcprules granting RELAYCLIENT to 127.0.0.1 and ::1 only); swaks and a
# raw socket client check: delivery with its headers and mode, 550 for an
# unknown user and 553 for a foreign domain from a non-relay address, 451
# at DATA for a relayed foreign recipient, 552 over databytes, a pipelined
# transaction, no SMTP smuggling, and a kill -9 loop on qmail-smtpd and
# on the process running the queue step (every file in new/ complete;
# every 250 for DATA means a file in new/).
# Every wait is bounded; everything started is killed on exit.
: "${QV_BUILD:?}" "${QV_SRC:?}"
. "$QV_SRC/tests/lib/sandbox.sh"
sandbox_init
L=setup
sandbox_need swaks tcpserver tcprules python3
sandbox_setup
sandbox_control me localhost databytes 100000
sandbox_domain example.test demo pw
grep -qx example.test "$Q/control/rcpthosts" || fail "vadddomain did not add rcpthosts"
sandbox_rules "$V/etc/tcp.smtp" '127.0.0.1:allow,RELAYCLIENT=""' '::1:allow,RELAYCLIENT=""' ':allow'
sandbox_maildir demo@example.test
NEW=$maildir/new
# qmail-smtpd refuses root: as root the sandbox belongs to nobody and the
# launchers drop to nobody (-u/-g); otherwise all runs as the invoking user
sandbox_own
count() { find "$NEW" -type f | wc -l; }

cat > "$tmp/client.py" <<'EOT'
import os, random, signal, socket, sys, time
port = int(sys.argv[2])
from mailclient import connect, smtp_reply as reply
def smtp_open(src='127.0.0.1'):
    s, f = connect(port, src)
    g = reply(f)
    assert g.startswith('220'), g
    s.sendall(b'EHLO client.test\r\n')
    e = reply(f)
    assert e.startswith('250'), e
    return s, f
def replies(f):        # every reply until EOF or timeout
    out = []
    try:
        while True:
            r = reply(f)
            if not r:
                break
            out.append(r)
    except socket.timeout:
        out.append('TIMEOUT')
    return out

def smuggle():
    variants = [b'\n.\n', b'\n.\r\n', b'\r.\r\n', b'\r\n.\r', b'\r\n.\r\n']
    bad = 0
    for i, v in enumerate(variants):
        s, f = smtp_open()
        s.sendall(b'MAIL FROM:<s@x.org>\r\nRCPT TO:<demo@example.test>\r\nDATA\r\n')
        r = [reply(f) for _ in range(3)]
        assert r[2].startswith('354'), r
        s.sendall(b'Subject: outer-%d\r\n\r\nhello' % i + v +
                  b'MAIL FROM:<evil@x.org>\r\nRCPT TO:<demo@example.test>\r\nDATA\r\n'
                  b'Subject: smuggled-%d\r\n\r\nevil\r\n.\r\nQUIT\r\n' % i)
        got = [x.split(' ')[0][:3] for x in replies(f)]
        s.close()
        print('variant %r: %s' % (v, ' '.join(got)))
        if v == b'\r\n.\r\n':
            # control: a real end of data, then a real second transaction
            if got != ['250', '250', '250', '354', '250', '221']:
                print('control variant: unexpected replies'); bad = 1
        elif got != ['451']:
            print('smuggling variant: want exactly one 451, then close'); bad = 1
    sys.exit(bad)

def children(spid, name='qmail-smtpd'):
    out = []
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            st = open('/proc/%s/stat' % p).read()
        except OSError:
            continue
        comm = st[st.index('(') + 1:st.rindex(')')]
        f = st[st.rindex(')') + 2:].split()
        if f[0] != 'Z' and int(f[1]) == spid and (name is None or comm == name):
            out.append(int(p))
    return out

def alive(p):
    try:
        return open('/proc/%d/stat' % p).read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False

def killloop(spid, n, new):
    # the q* phases kill the process running the queue step (the
    # session's qmail-rcptcheck) instead of qmail-smtpd
    phases = ['rcpt', 'data', 'mid', 'predot', 'dot', 'dotdelay', 'dotdelay', 'after',
              'qdot', 'qdotdelay', 'qdotdelay']
    body = {}
    results = []
    orphans = set()
    for i in range(n):
        phase = phases[i % len(phases)] if i < len(phases) else random.choice(phases)
        tag = 'kill-%d' % i
        b = 'Subject: %s\r\nX-E2E-Id: %s\r\n\r\n' % (tag, tag)
        # q* phases: about 900 KB (still under qmail-smtpd's 1 MB memory
        # file), so that writing and syncing the copy takes long enough
        # for the kill to land in the middle of the queue step
        lines = 11000 if phase.startswith('q') else 600
        b += ''.join('%s line %d %s\r\n' % (tag, j, 'x' * 60) for j in range(lines))
        body[tag] = b.replace('\r\n', '\n')
        # q* phases from a non-relay address: the recipient check starts
        # the session's qmail-rcptcheck at RCPT, before the data
        s, f = smtp_open('127.0.0.2' if phase.startswith('q') else '127.0.0.1')
        pid = None
        for _ in range(100):
            c = children(spid)
            if len(c) == 1:
                pid = c[0]; break
            time.sleep(0.02)
        assert pid, 'no single qmail-smtpd child of %d: %r' % (spid, children(spid))
        def kill():
            orphans.update(children(pid, None))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        qpids = []   # looked up before the dot: a /proc scan is slow
        def killq():
            for q in qpids:
                try:
                    os.kill(q, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        got = ''
        try:
            s.sendall(b'MAIL FROM:<k@x.org>\r\nRCPT TO:<demo@example.test>\r\n')
            reply(f); reply(f)
            if phase == 'rcpt':
                kill()
            s.sendall(b'DATA\r\n')
            reply(f)
            if phase == 'data':
                kill()
            if phase.startswith('q'):
                qpids = children(pid, 'qmail-rcptcheck')
                assert qpids, 'no qmail-rcptcheck under qmail-smtpd %d' % pid
            raw = b.encode()
            half = random.randrange(1, len(raw))
            s.sendall(raw[:half])
            if phase == 'mid':
                kill()
            s.sendall(raw[half:])
            if phase == 'predot':
                time.sleep(0.01); kill()
            s.sendall(b'.\r\n')
            if phase == 'dot':
                kill()
            if phase == 'dotdelay':
                time.sleep(random.random() * 0.03); kill()
            if phase == 'qdot':
                killq()
            if phase == 'qdotdelay':
                time.sleep(random.random() * 0.01); killq()
            got = reply(f)
            if phase == 'after':
                kill()
        except (BrokenPipeError, ConnectionResetError):
            pass
        except socket.timeout:
            got = 'TIMEOUT'
        kill()
        s.close()
        # the killed child is reaped before the next one is looked for
        for _ in range(100):
            if not children(spid):
                break
            time.sleep(0.02)
        results.append((tag, phase, got.strip()))
        print('%s %s %r' % (tag, phase, got.strip()))
    # stragglers: a qmail-queue whose parent was killed may still finish
    for _ in range(200):
        if not any(alive(p) for p in orphans):
            break
        time.sleep(0.1)
    prev, still = -1, 0
    for _ in range(50):
        cur = len(os.listdir(new))
        still = still + 1 if cur == prev else 0
        if still >= 3:
            break
        prev = cur
        time.sleep(0.1)
    files = {}
    bad = 0
    for name in os.listdir(new):
        t = open(os.path.join(new, name), 'rb').read().decode(errors='replace')
        tag = None
        for l in t.split('\n\n', 1)[0].split('\n'):
            if l.startswith('X-E2E-Id: '):
                tag = l[10:]
        if not tag or not tag.startswith('kill-'):
            continue
        files.setdefault(tag, []).append(name)
        if not t.endswith(body[tag]):
            print('INCOMPLETE %s in %s' % (tag, name)); bad = 1
    n250 = 0
    for tag, phase, got in results:
        have = len(files.get(tag, []))
        if got.startswith('250'):
            n250 += 1
            if have != 1:
                print('%s: 250 for DATA but %d files in new/' % (tag, have)); bad = 1
        elif phase in ('rcpt', 'data', 'mid', 'predot') and have:
            print('%s: killed before the end of data (%s) but delivered' % (tag, phase)); bad = 1
        elif have > 1:
            print('%s: delivered %d times' % (tag, have)); bad = 1
    print('%d iterations, %d got 250, %d delivered' % (len(results), n250, len(files)))
    if n250 == 0:
        print('no iteration got 250: the loop proved nothing'); bad = 1
    sys.exit(bad)

if sys.argv[1] == 'smuggle':
    smuggle()
elif sys.argv[1] == 'kill':
    killloop(int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
EOT

# start NAME CMD...: launcher on 127.0.0.1, a free port picked by the
# kernel (-1 prints it); retried. Sets spid and port.
start() {
  name=$1; shift
  sandbox_serve "$name" "$@" -1 -x "$V/etc/tcp.smtp.cdb" $ugid 127.0.0.1 0 "$Q/bin/qmail-smtpd"
}
# sw [swaks options]: one transaction, the transcript on stdout
sw() { timeout 30 swaks --server 127.0.0.1 --port "$port" --timeout 10 --from s@x.org "$@" 2>&1; }

run_checks() {
  # 1. delivery, headers, mode
  n=$(count)
  out=$(sw --to demo@example.test --header "X-E2E-Id: $L-plain" --body "plain body $L")
  echo "$out" | grep -q '^<-  250 2\.0\.0 ok' || { echo "$out"; fail "no 250 for DATA"; }
  f=$(grep -l "^X-E2E-Id: $L-plain\$" "$NEW"/* 2>/dev/null | head -n 1)
  [ -n "$f" ] || fail "250 but nothing in new/"
  [ "$(count)" = $((n + 1)) ] || fail "not exactly one new file"
  head -n 1 "$f" | grep -qx 'Return-Path: <s@x.org>' || fail "first line: $(head -n 1 "$f")"
  sed -n 2p "$f" | grep -qx 'Delivered-To: demo@example.test' || fail "Delivered-To: $(sed -n 2p "$f")"
  grep -q '^Received: from .*127\.0\.0\.1' "$f" || fail "no Received line naming 127.0.0.1"
  grep -qx "plain body $L" "$f" || fail "body"
  [ "$(stat -c %a "$f")" = 600 ] || fail "mode $(stat -c %a "$f")"

  # 2. unknown user: 550 at RCPT from a non-relay address
  out=$(sw --local-interface 127.0.0.9 --to nobody@example.test)
  echo "$out" | grep -q '^<\*\* 550 5\.1\.1 ' || { echo "$out"; fail "unknown user: want 550 at RCPT"; }
  # 3. foreign domain: 553 from 127.0.0.9; relayed from 127.0.0.1, 451 at DATA
  out=$(sw --local-interface 127.0.0.9 --to far@remote.test)
  echo "$out" | grep -q '^<\*\* 553 ' || { echo "$out"; fail "foreign domain from 127.0.0.9: want 553"; }
  n=$(count)
  out=$(sw --to far@remote.test)
  echo "$out" | grep -q '^<-  250 2\.1\.5 ok' || { echo "$out"; fail "relay client: RCPT not accepted"; }
  echo "$out" | grep -q '^<-  354 ' || { echo "$out"; fail "relay client: DATA not accepted"; }
  echo "$out" | grep -q '^<\*\* 451 .*far@remote.test: remote delivery is not available yet' ||
    { echo "$out"; fail "relay client: want 451 after the data"; }
  [ "$(count)" = "$n" ] || fail "a message to a remote recipient was delivered"
  # 4. over databytes: 552, nothing delivered
  python3 -c 'print("y" * 70)' > "$tmp/line"
  for i in 1 2 3 4 5 6 7 8 9 10 11; do cat "$tmp/line" "$tmp/line" "$tmp/line" "$tmp/line" "$tmp/line" "$tmp/line" "$tmp/line" "$tmp/line" "$tmp/line" "$tmp/line"; done > "$tmp/l1"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do cat "$tmp/l1"; done > "$tmp/big"
  out=$(sw --to demo@example.test --body "$tmp/big")
  echo "$out" | grep -q '^<\*\* 552 ' || { echo "$out"; fail "over databytes: want 552"; }
  [ "$(count)" = "$n" ] || fail "a message over databytes was delivered"
  # 5. a fully pipelined transaction
  out=$(sw --pipeline --to demo@example.test --header "X-E2E-Id: $L-pipe")
  echo "$out" | grep -q 'PIPELINING' || { echo "$out"; fail "no PIPELINING advertised"; }
  echo "$out" | grep -q '^<-  250 2\.0\.0 ok' || { echo "$out"; fail "pipelined: no 250"; }
  grep -q "^X-E2E-Id: $L-pipe\$" "$NEW"/* || fail "pipelined message not in new/"
  # 6. smuggling: every published variant gets one 451, nothing more
  n=$(count)
  timeout 60 python3 "$tmp/client.py" smuggle "$port" > "$tmp/smuggle" 2>&1 ||
    { cat "$tmp/smuggle"; fail "smuggling"; }
  # the control variant delivers two messages, the others none
  [ "$(count)" = $((n + 2)) ] || { cat "$tmp/smuggle"; fail "smuggling: $(($(count) - n)) new files, want 2"; }
  [ "$(grep -l '^Subject: outer-4$' "$NEW"/* | wc -l)" = 1 ] || fail "control message missing"
  [ "$(grep -l '^Subject: smuggled-4$' "$NEW"/* | wc -l)" = 1 ] || fail "control second message missing"
  grep -lE '^Subject: (outer|smuggled)-[0-3]$' "$NEW"/* && fail "a smuggling variant was delivered"
  # 7. kill -9 loop on qmail-smtpd and on the queue step's process
  rm -f "$NEW"/*
  echo 2000000 > "$Q/control/databytes"   # room for the q* phases' messages
  timeout 120 python3 "$tmp/client.py" kill "$port" "$spid" 30 "$NEW" > "$tmp/kill" 2>&1 ||
    { cat "$tmp/kill"; fail "kill -9 loop"; }
  echo 100000 > "$Q/control/databytes"
  tail -n 1 "$tmp/kill"
  kill -0 "$spid" 2>/dev/null || fail "launcher died"
  rm -f "$NEW"/*
}

L=qvtcpserver
start qv "$QV_BUILD/bin/qvtcpserver"
run_checks
sandbox_stop
echo "ok   $L"
L=tcpserver
start deb tcpserver
run_checks
sandbox_stop
echo "ok   $L"
exit 0
