#!/bin/sh
# tests/t-pop3-e2e.sh — issue 4's "Must show" with real clients over TCP:
# qmail-popup -> vchkpw -> qmail-pop3d behind qvtcpserver (every check)
# and behind Debian's tcpserver (the poplib session). A sandbox made
# like `make demo` (make setup, vadddomain, vadduser, tcp.pop3 rules
# giving FORCETLS="0" to 127.0.0.1 only).
# python3 poplib: a full session (STAT, LIST sizes = octets RETR sends,
# UIDL = the file names up to ':', TOP n 0, RETR with dot-stuffing),
# UIDL stable across sessions (new/ -> cur/ at QUIT), RSET restores,
# a dropped connection deletes nothing, DELE + QUIT removes; APOP for a
# user with a clear password; a wrong password gets -ERR [AUTH] and
# exactly one fail2ban-matchable log line; AUTH PLAIN and LOGIN; from
# 127.0.0.9 (no FORCETLS="0") plaintext logins are refused and CAPA
# hides USER/SASL while APOP still works; curl pop3:// (LIST, RETR);
# fetchmail and getmail6 in keep mode fetch everything once and nothing
# on the second run (UIDLs unchanged); the migrated vpopmail mailbox
# fixture shows the UIDLs qmail-pop3d showed. Every wait is bounded;
# everything started is killed on exit.
: "${QV_BUILD:?}" "${QV_SRC:?}"
. "$QV_SRC/tests/lib/sandbox.sh"
sandbox_init
L=setup
sandbox_need tcpserver tcprules python3 curl fetchmail getmail
[ -x "$QV_BUILD/bin/qmail-pop3d" ] || fail "no qmail-pop3d"
sandbox_setup
sandbox_control me localhost
# qmail-popup refuses root: as root the sandbox belongs to nobody, the
# vtools run as nobody (the domain's ids) and the launchers drop to it
sandbox_own "$tmp"
sandbox_domain example.test demo demopw mig migpw
sandbox_control clearpasswords 1
sandbox_user apop@example.test apopsecret
rm -f "$Q/control/clearpasswords"
sandbox_maildir demo@example.test
MD=$maildir
sandbox_maildir mig@example.test
MIG=$maildir
FIX="$QV_SRC/tests/fixtures/pop3-migrated"
if [ -d "$FIX" ]; then
  for d in new cur; do
    for f in "$FIX/$d"/*; do [ -f "$f" ] && cp -p "$f" "$MIG/$d/"; done
  done
  [ -n "$as" ] && chown -R 65534:65534 "$MIG"
fi
sandbox_rules "$V/etc/tcp.pop3" '127.0.0.1:allow,FORCETLS="0"' ':allow'

cat > "$tmp/client.py" <<'EOT'
import base64, hashlib, os, poplib, re, socket, sys, time
from mailclient import connect, pop3_capa as capa, tls_context as tlsctx
cmd, port, md = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bad = 0
def fail(msg):
    global bad
    print('FAIL: %s' % msg); bad = 1

def files():
    out = {}
    for d in ('new', 'cur'):
        for n in os.listdir(os.path.join(md, d)):
            if not n.startswith('.'):
                out[n.split(':')[0]] = os.path.join(md, d, n)
    return out

def order():
    f = files()
    return sorted(f, key=lambda u: (os.stat(f[u]).st_mtime, u))

def wire(path):
    # the octets RETR sends before dot-stuffing: LF -> CRLF
    return open(path, 'rb').read().replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')

def login(user='demo@example.test', pw='demopw'):
    p = poplib.POP3('127.0.0.1', port, timeout=20)
    p.user(user)
    p.pass_(pw)
    return p

def raw(src='127.0.0.1'):
    return connect(port, src, 20)

def session():
    want = order()
    if len(want) != 3:
        fail('fixture: %d messages' % len(want))
    p = login()
    n, size = p.stat()
    f = files()
    if n != 3 or size != sum(len(wire(f[u])) for u in want):
        fail('STAT %r' % ((n, size),))
    uidl = [l.decode().split(' ', 1)[1] for l in p.uidl()[1]]
    if uidl != want:
        fail('UIDL %r != file names in mtime order %r' % (uidl, want))
    lst = [int(l.split()[1]) for l in p.list()[1]]
    for i, u in enumerate(want):
        r = p.retr(i + 1)
        body = b'\r\n'.join(r[1]) + b'\r\n'
        if body != wire(f[u]):
            fail('RETR %d differs from the file' % (i + 1))
        if lst[i] != len(wire(f[u])):
            fail('LIST %d says %d, RETR sent %d' % (i + 1, lst[i], len(wire(f[u]))))
    top = p.top(1, 0)[1]
    hdr = wire(f[want[0]]).split(b'\r\n\r\n')[0].split(b'\r\n')
    if top[:len(hdr)] != hdr or any(top[len(hdr):]):
        fail('TOP 1 0: %r' % top)
    p.quit()
    # new/ -> cur/ at QUIT, UIDLs unchanged in the next session
    if os.listdir(os.path.join(md, 'new')):
        fail('new/ not empty after QUIT: %r' % os.listdir(os.path.join(md, 'new')))
    p = login()
    uidl2 = [l.decode().split(' ', 1)[1] for l in p.uidl()[1]]
    if uidl2 != uidl:
        fail('UIDL changed across sessions: %r -> %r' % (uidl, uidl2))
    # DELE + RSET restores
    p.dele(1)
    p.rset()
    p.quit()
    if len(files()) != 3:
        fail('RSET + QUIT deleted something')
    # DELE then a dropped connection deletes nothing
    p = login()
    p.dele(1)
    p.dele(2)
    p.sock.close()
    time.sleep(0.5)
    if len(files()) != 3:
        fail('a dropped connection deleted messages')
    # DELE + QUIT removes exactly that message
    p = login()
    p.dele(2)
    p.quit()
    left = sorted(files())
    if left != sorted([uidl[0], uidl[2]]):
        fail('after DELE 2 + QUIT: %r' % left)

def auth():
    # APOP for a user with a clear password
    p = poplib.POP3('127.0.0.1', port, timeout=20)
    p.apop('apop@example.test', 'apopsecret')
    p.stat()
    p.quit()
    # AUTH PLAIN (initial response) and AUTH LOGIN
    s, f = raw()
    f.readline()
    s.sendall(b'AUTH PLAIN ' + base64.b64encode(b'\0demo@example.test\0demopw') + b'\r\nSTAT\r\nQUIT\r\n')
    r = [f.readline() for _ in range(3)]
    if not r[0].startswith(b'+OK') or not re.match(rb'\+OK 2 \d+\r\n', r[1]):
        fail('AUTH PLAIN + pipelined STAT: %r' % r)
    s.close()
    s, f = raw()
    f.readline()
    s.sendall(b'AUTH LOGIN\r\n')
    a = f.readline()
    s.sendall(base64.b64encode(b'demo@example.test') + b'\r\n')
    b = f.readline()
    s.sendall(base64.b64encode(b'demopw') + b'\r\n')
    c = f.readline()
    if (a, b) != (b'+ VXNlcm5hbWU6\r\n', b'+ UGFzc3dvcmQ6\r\n') or not c.startswith(b'+OK'):
        fail('AUTH LOGIN: %r' % [a, b, c])
    s.sendall(b'QUIT\r\n')
    f.readline()
    s.close()
    # a wrong password: -ERR [AUTH] after the delay, and the session goes on
    s, f = raw()
    f.readline()
    t0 = time.time()
    s.sendall(b'USER demo@example.test\r\nPASS wrong\r\n')
    r = [f.readline(), f.readline()]
    if r[1] != b'-ERR [AUTH] authorization failed\r\n' or time.time() - t0 < 1.5:
        fail('wrong password: %r after %.1fs' % (r, time.time() - t0))
    s.sendall(b'USER demo@example.test\r\nPASS demopw\r\nQUIT\r\n')
    r = [f.readline() for _ in range(3)]
    if not r[1].startswith(b'+OK') or not r[2].startswith(b'+OK'):
        fail('login after a failure: %r' % r)
    s.close()

def forcetls():
    # 127.0.0.9 has no FORCETLS="0": no plaintext, CAPA without USER/SASL
    s, f = raw('127.0.0.9')
    g = f.readline()
    c = capa(s, f)
    if b'USER\r\n' in c or any(l.startswith(b'SASL') for l in c):
        fail('CAPA from 127.0.0.9 offers plaintext: %r' % c)
    for c in (b'USER demo@example.test', b'AUTH PLAIN ' + base64.b64encode(b'\0demo@example.test\0demopw')):
        s.sendall(c + b'\r\n')
        r = f.readline()
        if not r.startswith(b'-ERR [AUTH] Plaintext authentication disallowed'):
            fail('%r from 127.0.0.9: %r' % (c[:10], r))
    # APOP is not plaintext: allowed
    ts = re.search(rb'<[^>]*>', g).group(0)
    d = hashlib.md5(ts + b'apopsecret').hexdigest().encode()
    s.sendall(b'APOP apop@example.test ' + d + b'\r\nQUIT\r\n')
    r = [f.readline(), f.readline()]
    if not r[0].startswith(b'+OK') or not r[1].startswith(b'+OK'):
        fail('APOP from 127.0.0.9: %r' % r)
    s.close()
    # the same from 127.0.0.1 lists USER and SASL
    s, f = raw()
    f.readline()
    c = capa(s, f)
    if b'USER\r\n' not in c or b'SASL PLAIN LOGIN\r\n' not in c:
        fail('CAPA from 127.0.0.1: %r' % c)
    s.close()

def stls():
    # 127.0.0.9 must use TLS: STLS offered, USER only after it
    s, f = raw('127.0.0.9')
    f.readline()
    c = capa(s, f)
    if b'STLS\r\n' not in c or b'USER\r\n' in c:
        fail('CAPA before STLS: %r' % c)
    s.sendall(b'STLS\r\n')
    r = f.readline()
    if r != b'+OK Begin TLS negotiation\r\n':
        fail('STLS: %r' % r)
        return
    t = tlsctx().wrap_socket(s)
    f = t.makefile('rb')
    c = capa(t, f)
    if b'STLS\r\n' in c or b'USER\r\n' not in c or b'SASL PLAIN LOGIN\r\n' not in c:
        fail('CAPA after STLS: %r' % c)
    t.sendall(b'STLS\r\n')
    r = f.readline()
    if not r.startswith(b'-ERR'):
        fail('STLS inside TLS: %r' % r)
    t.sendall(b'USER demo@example.test\r\nPASS demopw\r\nSTAT\r\nQUIT\r\n')
    r = [f.readline() for _ in range(4)]
    if not all(x.startswith(b'+OK') for x in r) or not re.match(rb'\+OK 3 ', r[2]):
        fail('login after STLS: %r' % r)
    t.close()
    # injection: a command pipelined behind STLS never reaches qmail-popup
    s, f = raw('127.0.0.9')
    f.readline()
    s.sendall(b'STLS\r\nCAPA\r\nUSER demo@example.test\r\n')
    r = f.readline()
    if r != b'+OK Begin TLS negotiation\r\n':
        fail('STLS (injection): %r' % r)
    rest = b''
    try:
        while True:
            d = s.recv(4096)
            if not d:
                break
            rest += d
    except (socket.timeout, ConnectionResetError):
        pass
    if b'Capability' in rest or b'+OK' in rest:
        fail('a command pipelined behind STLS was answered: %r' % rest)
    s.close()
    # POP3 over implicit TLS happens in pop3s()

def pop3s():
    s, f = raw('127.0.0.9')
    t = tlsctx().wrap_socket(s)
    f = t.makefile('rb')
    g = f.readline()
    c = capa(t, f)
    if b'USER\r\n' not in c or b'STLS\r\n' in c:
        fail('CAPA on POP3S: %r' % c)
    t.sendall(b'USER demo@example.test\r\nPASS demopw\r\nSTAT\r\nQUIT\r\n')
    r = [f.readline() for _ in range(4)]
    if not all(x.startswith(b'+OK') for x in r):
        fail('POP3S login: %r (greeting %r)' % (r, g))
    t.close()

def uidls():
    p = login('mig@example.test', 'migpw')
    for l in p.uidl()[1]:
        print(l.decode())
    p.quit()

{'session': session, 'auth': auth, 'forcetls': forcetls, 'uidls': uidls,
 'stls': stls, 'pop3s': pop3s}[cmd]()
sys.exit(bad)
EOT

# put N test messages into demo's new/, mtimes in the past and distinct
mkmsgs() {
  rm -f "$MD/new"/* "$MD/cur"/*
  python3 - "$MD/new" <<'EOT'
import os, sys, time
d = sys.argv[1]
now = int(time.time())
for i in range(3):
    name = '%d.M%dP%d.e2e.test' % (now - 100 + i, i, 4242)
    body = 'Subject: e2e %d\nX-E2E: %d\n\nline one of %d\n.leading dot\n..two dots\n.\nlast\n' % (i, i, i)
    if i == 2:
        body += ('x' * 900 + '\n') * 6
    p = os.path.join(d, name)
    with open(p, 'w') as f:
        f.write(body)
    os.utime(p, (now - 100 + i, now - 100 + i))
EOT
  [ -z "$as" ] || chown -R 65534:65534 "$MD"
}

# start NAME CMD...: launcher on 127.0.0.1, free port (-1 prints it),
# ids $lugid, the chain behind $pre (qvtls) if set
start() {
  name=$1; shift
  sandbox_serve "$name" "$@" -1 -x "$V/etc/tcp.pop3.cdb" $lugid 127.0.0.1 0 $pre \
    "$Q/bin/qmail-popup" localhost "$V/bin/vchkpw" "$Q/bin/qmail-pop3d" Maildir
}
client() { timeout 120 python3 "$tmp/client.py" "$1" "$port" "$MD" > "$tmp/out.$1" 2>&1 || { cat "$tmp/out.$1"; fail "$1"; }; }

lugid=$ugid pre=
L=qvtcpserver
start qv "$QV_BUILD/bin/qvtcpserver"
mkmsgs
client session
client auth
# exactly one fail2ban-matchable line for the one wrong password
n=$(grep -c 'auth-fail .*ip=127\.0\.0\.1 user=demo@example\.test' "$tmp/log.qv")
[ "$n" = 1 ] || fail "want 1 auth-fail line for the wrong password, got $n"
grep -q 'qmail-popup: .*auth-fail' "$tmp/log.qv" && fail "qmail-popup wrote its own auth-fail line"
client forcetls

# curl: LIST and RETR
mkmsgs
out=$(timeout 30 curl -s "pop3://127.0.0.1:$port/" -u demo@example.test:demopw) || fail "curl LIST"
[ "$(echo "$out" | wc -l)" = 3 ] || fail "curl LIST: $out"
timeout 30 curl -s "pop3://127.0.0.1:$port/1" -u demo@example.test:demopw > "$tmp/curl.1" || fail "curl RETR"
grep -q '^Subject: e2e 0' "$tmp/curl.1" || fail "curl RETR: $(head -n 3 "$tmp/curl.1")"
grep -q '^\.leading dot' "$tmp/curl.1" || fail "curl RETR: dot-stuffing not undone"
timeout 30 curl -s "pop3://127.0.0.1:$port/" -u demo@example.test:wrongpw > /dev/null && fail "curl with a wrong password succeeded"

# fetchmail, keep + uidl: everything once, nothing the second time
mkmsgs
mkdir -p "$tmp/fm/out"
cat > "$tmp/fm/rc" <<EOT
set no syslog
poll 127.0.0.1 port $port protocol pop3 uidl auth password
  user "demo@example.test" there with password "demopw" is root here
  options keep no sslcertck sslproto ''
  mda "/bin/sh -c 'cat > $tmp/fm/out/\$\$'"
EOT
chmod 600 "$tmp/fm/rc"
fm() { HOME="$tmp/fm" timeout 60 fetchmail -f "$tmp/fm/rc" -i "$tmp/fm/ids" --pidfile "$tmp/fm/pid" --nodetach -d0 > "$tmp/fm/log" 2>&1; }
fm; rc=$?
[ $rc = 0 ] || { cat "$tmp/fm/log"; fail "fetchmail first run: exit $rc"; }
[ "$(ls "$tmp/fm/out" | wc -l)" = 3 ] || { cat "$tmp/fm/log"; fail "fetchmail fetched $(ls "$tmp/fm/out" | wc -l), want 3"; }
fm; rc=$?
[ $rc = 1 ] || { cat "$tmp/fm/log"; fail "fetchmail second run: exit $rc, want 1 (no new mail)"; }
[ "$(ls "$tmp/fm/out" | wc -l)" = 3 ] || fail "fetchmail fetched again"
[ "$(find "$MD/new" "$MD/cur" -type f | wc -l)" = 3 ] || fail "fetchmail keep deleted messages"

# getmail6, delete = false: everything once, nothing the second time
mkmsgs
mkdir -p "$tmp/gm/Maildir/new" "$tmp/gm/Maildir/cur" "$tmp/gm/Maildir/tmp"
cat > "$tmp/gm/rc" <<EOT
[retriever]
type = SimplePOP3Retriever
server = 127.0.0.1
port = $port
username = demo@example.test
password = demopw

[destination]
type = Maildir
path = $tmp/gm/Maildir/

[options]
delete = false
read_all = false
verbose = 1
EOT
[ -z "$as" ] || chown -R 65534:65534 "$tmp/gm"   # getmail refuses to deliver as root
gm() { HOME="$tmp/gm" timeout 60 $as getmail --getmaildir="$tmp/gm" --rcfile="$tmp/gm/rc" > "$tmp/gm/log" 2>&1; }
gm || { cat "$tmp/gm/log"; fail "getmail first run"; }
[ "$(ls "$tmp/gm/Maildir/new" | wc -l)" = 3 ] || { cat "$tmp/gm/log"; fail "getmail fetched $(ls "$tmp/gm/Maildir/new" | wc -l), want 3"; }
gm || { cat "$tmp/gm/log"; fail "getmail second run"; }
grep -q '0 messages' "$tmp/gm/log" || { cat "$tmp/gm/log"; fail "getmail second run fetched something"; }
[ "$(ls "$tmp/gm/Maildir/new" | wc -l)" = 3 ] || fail "getmail fetched again"

# the migrated mailbox: the UIDLs qmail-pop3d showed
if [ -d "$FIX" ]; then
  timeout 60 python3 "$tmp/client.py" uidls "$port" "$MIG" > "$tmp/mig.uidl" 2>&1 || { cat "$tmp/mig.uidl"; fail "migrated UIDL"; }
  diff "$FIX.uidl" "$tmp/mig.uidl" > "$tmp/mig.diff" || { cat "$tmp/mig.diff"; fail "migrated mailbox UIDLs differ"; }
fi
sandbox_stop
echo "ok   $L"

L=tcpserver
start deb tcpserver
mkmsgs
client session
sandbox_stop
echo "ok   $L"

# STLS and POP3S through qvtls (the TLS stage): as root the launcher
# stays root, qvtls drops the chain to nobody and its helper to the
# conf-users TLS user, which alone can read the key
L=qvtls
sandbox_cert
lugid= pre="$QV_BUILD/bin/qvtls -d $TLS $ugid"
start tls "$QV_BUILD/bin/qvtcpserver"
mkmsgs
client stls
grep -q 'qmail-popup: warn: tls-failed' "$tmp/log.tls" || fail "the injected STLS session did not fail its handshake"
sandbox_stop
pre="$QV_BUILD/bin/qvtls -i -d $TLS $ugid"
start tlsi "$QV_BUILD/bin/qvtcpserver"
client pop3s
sandbox_stop
echo "ok   $L"
exit 0
