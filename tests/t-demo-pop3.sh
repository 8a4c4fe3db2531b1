#!/bin/sh
# tests/t-demo-pop3.sh — issue 4's "Must show" on `make demo` itself:
# scripts/demo in a temp DEMO_DIR at a random port base, two messages
# sent to the demo user through the demo's SMTP (base+25), then on POP3
# (base+110, 127.0.0.1 and ::1): python3 poplib with the password the
# demo printed (STAT, UIDL = the Maildir file names, RETR, TOP, DELE +
# QUIT removes), curl pop3:// (LIST, RETR), fetchmail -c; the demo's
# tcp.pop3 rule: plaintext from 127.0.0.2 refused, allowed after STLS
# (curl --ssl-reqd) and on POP3S (base+995) when qvtls is built.
: "${QV_BUILD:?}" "${QV_SRC:?}"
. "$QV_SRC/tests/lib/sandbox.sh"
sandbox_init
sandbox_need swaks tcprules python3 curl fetchmail
sandbox_demo
grep -q "pop3:$((BASE + 110))" "$tmp/demo.out" || fail "no pop3 service: $(grep Services "$tmp/demo.out")"
grep -q "curl pop3://127.0.0.1:$((BASE + 110))/" "$tmp/demo.out" || fail "no POP3 connect hint"
tls=
[ -x "$QV_BUILD/bin/qvtls" ] && tls=1
sandbox_wait_port $((BASE + 25)) $((BASE + 110)) ${tls:+$((BASE + 995))}
sandbox_maildir demo@example.test
MD=$maildir
for i in 1 2; do
  timeout 60 swaks --server 127.0.0.1 --port $((BASE + 25)) --timeout 30 --from s@x.org \
    --to demo@example.test --header "X-Id: demo-pop3-$i" --body "body $i" > "$tmp/swaks.$i" 2>&1 ||
    { cat "$tmp/swaks.$i"; fail "swaks $i"; }
done
i=0
while [ "$(find "$MD/new" -type f | wc -l)" -lt 2 ]; do
  i=$((i + 1)); [ $i -lt 50 ] || fail "messages not delivered"; sleep 0.1
done
sleep 1.1   # qmail-pop3d (as qmail's) skips files from the current second

cat > "$tmp/pop.py" <<'EOT'
import os, poplib, socket, sys
port, pw, md = int(sys.argv[1]), sys.argv[2], sys.argv[3]
bad = 0
def fail(m):
    global bad
    print('FAIL: ' + m); bad = 1
names = sorted(n.split(':')[0] for d in ('new', 'cur') for n in os.listdir(os.path.join(md, d)))
for host in ('127.0.0.1', '::1'):
    p = poplib.POP3(host, port, timeout=30)
    p.user('demo@example.test')
    p.pass_(pw)
    n, size = p.stat()
    if n != 2:
        fail('%s: STAT %d' % (host, n))
    uidl = sorted(l.decode().split(' ', 1)[1] for l in p.uidl()[1])
    if uidl != names:
        fail('%s: UIDL %r, files %r' % (host, uidl, names))
    m = b'\n'.join(p.retr(1)[1])
    if b'X-Id: demo-pop3-' not in m:
        fail('%s: RETR 1: %r' % (host, m[:200]))
    top = p.top(2, 0)[1]
    if not any(l.startswith(b'X-Id: demo-pop3-') for l in top) or b'body 2' in top:
        fail('%s: TOP 2 0: %r' % (host, top))
    p.quit()
# 127.0.0.2 is not in the demo's tcp.pop3 with FORCETLS="0"
s = socket.socket()
s.settimeout(30)
s.bind(('127.0.0.2', 0))
s.connect(('127.0.0.1', port))
f = s.makefile('rb')
f.readline()
s.sendall(b'USER demo@example.test\r\n')
r = f.readline()
if not r.startswith(b'-ERR [AUTH] Plaintext authentication disallowed'):
    fail('USER from 127.0.0.2: %r' % r)
s.close()
# DELE + QUIT removes the message
p = poplib.POP3('127.0.0.1', port, timeout=30)
p.user('demo@example.test')
p.pass_(pw)
gone = p.uidl(1).decode().split()[2]
p.dele(1)
p.quit()
left = [n.split(':')[0] for d in ('new', 'cur') for n in os.listdir(os.path.join(md, d))]
if gone in left or len(left) != 1:
    fail('after DELE 1 + QUIT: %r (deleted %s)' % (left, gone))
sys.exit(bad)
EOT
P=$((BASE + 110))
out=$(timeout 30 curl -s "pop3://127.0.0.1:$P/" -u "demo@example.test:$pw") || fail "curl LIST"
[ "$(echo "$out" | wc -l)" = 2 ] || fail "curl LIST: $out"
timeout 30 curl -s "pop3://127.0.0.1:$P/1" -u "demo@example.test:$pw" | grep -q '^X-Id: demo-pop3-' || fail "curl RETR"
cat > "$tmp/fetchmailrc" <<EOT
poll 127.0.0.1 port $P protocol pop3 user "demo@example.test" there with password "$pw" options keep sslproto ''
EOT
chmod 600 "$tmp/fetchmailrc"
HOME=$tmp timeout 60 fetchmail -c -f "$tmp/fetchmailrc" -i "$tmp/fetchids" --pidfile "$tmp/fetchpid" > "$tmp/fetchmail.out" 2>&1
grep -q '2 messages for demo@example.test' "$tmp/fetchmail.out" || { cat "$tmp/fetchmail.out"; fail "fetchmail -c"; }
if [ -n "$tls" ]; then
  out=$(timeout 30 curl -s -k --ssl-reqd --interface 127.0.0.2 "pop3://127.0.0.1:$P/" -u "demo@example.test:$pw") ||
    fail "curl STLS from 127.0.0.2"
  [ "$(echo "$out" | wc -l)" = 2 ] || fail "curl STLS LIST: $out"
  out=$(timeout 30 curl -s -k --interface 127.0.0.2 "pop3s://127.0.0.1:$((BASE + 995))/" -u "demo@example.test:$pw") ||
    fail "curl pop3s from 127.0.0.2"
  [ "$(echo "$out" | wc -l)" = 2 ] || fail "curl pop3s LIST: $out"
fi
timeout 120 python3 "$tmp/pop.py" $P "$pw" "$MD" || fail "poplib"
echo "ok   demo POP3${tls:+, STLS and POP3S}"
exit 0
