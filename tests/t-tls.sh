#!/bin/sh
# tests/t-tls.sh — qvtls, the TLS stage, with real clients over TCP
# (openssl s_client and python3's ssl): the certificate chosen by SNI for
# two names and the default for an unknown or missing name; SSLv3, TLS
# 1.0 and 1.1 refused by default (the client allows them, so the refusal
# is the server's); client renegotiation refused; SSL_* reach the
# program; a replaced certificate is served on the next connection;
# tlsminversion is honoured; a client certificate that verifies against
# control/clientca.pem becomes SSL_CLIENT_S_DN (an unverified one is
# ignored); a world-readable key is refused; 300 KB each way with a
# client half-close; without a default certificate no QVTLSCTL; one log
# line per failed handshake. Run as
# root: the program runs as qmaild and cannot open the key files, the
# helper runs as qvtls and can. Then STARTTLS through qmail-smtpd (when
# it offers it): EHLO lists STARTTLS, the Received line says ESMTPS,
# and a command pipelined behind STARTTLS never runs. Once under
# Debian's tcpserver. Every wait is bounded; everything started is
# killed on exit.
: "${QV_BUILD:?}" "${QV_SRC:?}"
. "$QV_SRC/tests/lib/sandbox.sh"
sandbox_init
L=setup
# waitlog FILE TEXT: TEXT (fixed string) appears in FILE within 5 s (a
# line is written just after the client saw the failure)
waitlog() {
  i=0
  while [ $i -lt 50 ]; do
    grep -qF "$2" "$1" 2>/dev/null && return 0
    sleep 0.1; i=$((i + 1))
  done
  return 1
}
sandbox_need openssl python3 tcpserver
B=$QV_BUILD/bin
Q=$tmp/q
export QMAILDIR="$Q"
mkdir -p "$Q/control"
root=
[ "$(id -u)" = 0 ] && root=1

# certificates in $TLS: default, two names, Let's Encrypt layout
sandbox_tlsuser
protouser=$(sed -n 3p "$QV_SRC/conf-users")
if [ -n "$root" ]; then
  id "$protouser" >/dev/null 2>&1 || fail "user $protouser missing"
fi
sandbox_cert default default.test
openssl ecparam -name prime256v1 -out "$tmp/p256" 2>/dev/null || fail "ecparam"
sandbox_cert mail.example.test mail.example.test "ec:$tmp/p256"
sandbox_cert other.example.test other.example.test

# the protocol program: prints its ids, the SSL_* it got, whether it can
# read a key, then echoes one line
cat > "$tmp/prog.sh" <<EOT
#!/bin/sh
if cat "$TLS/default/privkey.pem" >/dev/null 2>&1; then key=readable; else key=unreadable; fi
helper=\$(stat -c %u /proc/\$PPID 2>/dev/null)
echo "hello uid=\$(id -u) helper=\$helper proto=\$SSL_PROTOCOL cipher=\$SSL_CIPHER sni=\$SSL_TLS_SNI dn=\$SSL_CLIENT_S_DN ctl=\${QVTLSCTL:-none} key=\$key"
read line
echo "got \$line"
EOT
chmod 755 "$tmp/prog.sh"

ugid=
[ -n "$root" ] && ugid="-u $protouser -g $(id -g "$protouser")"
# serve NAME ARGS...: qvtcpserver on 127.0.0.1, an ephemeral port in $port
serve() {
  name=$1; shift
  sandbox_serve -n "$name" "$B/qvtcpserver" -1 -R -H 127.0.0.1 0 "$@"
}
serve implicit "$B/qvtls" -i -d "$TLS" $ugid "$tmp/prog.sh"
P1=$port

cat > "$tmp/client.py" <<'EOT'
import socket, ssl, sys
port, sni = int(sys.argv[1]), sys.argv[2]
from mailclient import tls_context
ctx = tls_context()
s = socket.create_connection(('127.0.0.1', port), timeout=10)
if len(sys.argv) > 3:
    ctx.load_cert_chain(sys.argv[3])
t = ctx.wrap_socket(s, server_hostname=(sni or None))
f = t.makefile('rb')
cert = t.getpeercert(binary_form=True)
import subprocess
subj = subprocess.run(['openssl', 'x509', '-inform', 'DER', '-noout', '-subject'],
                      input=cert, capture_output=True).stdout.decode().strip()
print(subj)
print(f.readline().decode().strip())
t.sendall(b'ping\r\n')
print(f.readline().decode().strip())
print('eof' if f.readline() == b'' else 'no-eof')
EOT
client() { timeout 20 python3 "$tmp/client.py" "$@" 2>&1; }

L=sni
out=$(client "$P1" mail.example.test)
echo "$out" | grep -q "subject=CN = mail.example.test" || fail "SNI mail.example.test: $out"
echo "$out" | grep -q "sni=mail.example.test " || fail "SSL_TLS_SNI: $out"
out=$(client "$P1" OTHER.example.test)
echo "$out" | grep -q "subject=CN = other.example.test" || fail "SNI other.example.test: $out"
echo "$out" | grep -q "sni=other.example.test " || fail "SSL_TLS_SNI lower-cased: $out"
out=$(client "$P1" unknown.test)
echo "$out" | grep -q "subject=CN = default.test" || fail "unknown name gets the default: $out"
out=$(client "$P1" "")
echo "$out" | grep -q "subject=CN = default.test" || fail "no SNI gets the default: $out"
echo "$out" | grep -q "sni= " || fail "no SNI: empty SSL_TLS_SNI: $out"
# the same with openssl s_client -servername, as an admin would check
out=$(timeout 10 openssl s_client -connect 127.0.0.1:$P1 -servername mail.example.test </dev/null 2>&1)
echo "$out" | grep -q "subject=CN = mail.example.test" || fail "s_client -servername: $out"

L=env
out=$(client "$P1" mail.example.test)
echo "$out" | grep -q "proto=TLSv1.3 cipher=TLS_" || fail "SSL_PROTOCOL/SSL_CIPHER: $out"
echo "$out" | grep -q "ctl=none" || fail "QVTLSCTL set in implicit mode: $out"
echo "$out" | grep -q "^got ping" || fail "relay: $out"
echo "$out" | grep -q "^eof" || fail "no EOF after the program ended: $out"

L=halfclose
# the client sends 300 KB and half-closes (TCP FIN): the program sees EOF
# and still gets its answer through; then the other way, 300 KB to it
cat > "$tmp/wc.sh" <<'EOT'
#!/bin/sh
wc -c | tr -d ' '
head -c 300000 /dev/zero
EOT
chmod 755 "$tmp/wc.sh"
serve wc "$B/qvtls" -i -d "$TLS" $ugid "$tmp/wc.sh"
out=$(timeout 30 python3 - "$port" <<'EOT'
import socket, ssl, sys
from mailclient import tls_context
ctx = tls_context()
t = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=20),
                    server_hostname='x.test')
t.sendall(b'x' * 300000)
socket.socket.shutdown(t, socket.SHUT_WR)   # a TCP FIN; the SSL object stays
data = b''
while True:
    try:
        d = t.recv(65536)
    except ssl.SSLZeroReturnError:
        break
    if not d:
        break
    data += d
first, _, rest = data.partition(b'\n')
print(first.decode(), len(rest))
EOT
)
[ "$out" = "300000 300000" ] || fail "half-close or bulk relay: $out"

L=linger
# the program has ended; a client that keeps the connection open is
# dropped after timeouttls seconds (the helper does not stay forever)
echo 2 > "$QMAILDIR/control/timeouttls"
printf '#!/bin/sh\necho bye\n' > "$tmp/bye.sh"
chmod 755 "$tmp/bye.sh"
serve bye "$B/qvtls" -i -d "$TLS" $ugid "$tmp/bye.sh"
out=$(timeout 20 python3 - "$port" "$tmp/log.bye" <<'EOT'
import socket, ssl, sys, time
from mailclient import tls_context
ctx = tls_context()
t = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=20),
                    server_hostname='x.test')
print(t.makefile('rb').readline().decode().strip())
t0 = time.monotonic()
while time.monotonic() - t0 < 10:        # the socket stays open meanwhile
    if 'end pid=' in open(sys.argv[2], errors='replace').read():
        print('helper ended after %.0f s' % (time.monotonic() - t0))
        break
    time.sleep(0.1)
EOT
)
echo "$out" | grep -q "^bye" || fail "linger: $out"
echo "$out" | grep -q "helper ended after [1-4] s" || fail "helper did not end within timeouttls: $out"
rm -f "$QMAILDIR/control/timeouttls"

L=starttls-mode
serve plainprog "$B/qvtls" -d "$TLS" $ugid "$tmp/prog.sh"
out=$(printf 'x\n' | timeout 10 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rb"); print(f.readline().decode().strip()); s.sendall(b"x\n"); print(f.readline().decode().strip())' "$port")
echo "$out" | grep -q "ctl=[0-9]" || fail "STARTTLS mode: no QVTLSCTL: $out"
echo "$out" | grep -q "proto= " || fail "STARTTLS mode: SSL_PROTOCOL before TLS: $out"
if [ -n "$root" ]; then
  echo "$out" | grep -q "uid=$(id -u "$protouser") helper=$(id -u "$tlsuser") " || fail "STARTTLS mode ids: $out"
  echo "$out" | grep -q "key=unreadable" || fail "STARTTLS mode: the program can read the key: $out"
fi
serve nocert "$B/qvtls" -d "$tmp/nonexistent" $ugid "$tmp/prog.sh"
out=$(timeout 10 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
print(s.makefile("rb").readline().decode().strip())' "$port")
echo "$out" | grep -q "ctl=none" || fail "no default certificate, yet QVTLSCTL: $out"

L=versions
for v in -tls1 -tls1_1; do
  out=$(timeout 10 openssl s_client -connect 127.0.0.1:$P1 $v -cipher 'DEFAULT:@SECLEVEL=0' </dev/null 2>&1)
  echo "$out" | grep -q "alert protocol version" || fail "$v not refused by the server: $out"
done
waitlog "$tmp/log.implicit" "tls-handshake-fail ip=127.0.0.1 reason=unsupported" ||
  fail "no log line for a refused version"
out=$(timeout 10 openssl s_client -connect 127.0.0.1:$P1 -tls1_2 </dev/null 2>&1)
echo "$out" | grep -q "Protocol *: TLSv1.2" || fail "TLS 1.2 refused: $out"
# SSLv3: OpenSSL 3 cannot speak it, so a raw SSLv3 ClientHello
out=$(timeout 10 python3 - "$P1" <<'EOT'
import os, socket, struct, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=5)
body = b'\x03\x00' + os.urandom(32) + b'\x00' + b'\x00\x04\x00\x2f\x00\x0a' + b'\x01\x00'
hs = b'\x01' + struct.pack('>I', len(body))[1:] + body
s.sendall(b'\x16\x03\x00' + struct.pack('>H', len(hs)) + hs)
r = s.recv(100)
print('alert' if r[:1] == b'\x15' else 'serverhello' if r[:1] == b'\x16' else 'closed' if not r else 'other')
EOT
)
[ "$out" = alert ] || [ "$out" = closed ] || fail "SSLv3 ClientHello answered: $out"

L=renegotiation
out=$( (echo R; sleep 2) | timeout 10 openssl s_client -connect 127.0.0.1:$P1 -tls1_2 2>&1)
echo "$out" | grep -q RENEGOTIATING || fail "s_client did not try: $out"
echo "$out" | grep -qi "no renegotiation" || fail "renegotiation not refused: $out"

L=replace
sandbox_cert default replaced.test
out=$(client "$P1" "")
echo "$out" | grep -q "subject=CN = replaced.test" || fail "replaced certificate not served: $out"

L=privilege
if [ -n "$root" ]; then
  # started as root without -u, qvtls refuses to run the program as root
  TCPREMOTEIP=127.0.0.1 "$B/qvtls" -i -d "$TLS" "$tmp/prog.sh" < /dev/null > "$tmp/out.root" 2>&1
  [ $? = 111 ] && grep -q chain-is-root "$tmp/out.root" || fail "ran the program as root: $(cat "$tmp/out.root")"
  out=$(client "$P1" "")
  echo "$out" | grep -q "uid=$(id -u "$protouser") " || fail "program not run as $protouser: $out"
  echo "$out" | grep -q "helper=$(id -u "$tlsuser") " || fail "helper not run as $tlsuser: $out"
  echo "$out" | grep -q "key=unreadable" || fail "the program can read the key: $out"
  # the key is readable by the helper's id only: make it root's and the
  # stage cannot serve (it dropped to $tlsuser before loading it)
  chown root "$TLS/default/privkey.pem"
  out=$(client "$P1" "")
  echo "$out" | grep -q "subject=" && fail "served a key $tlsuser cannot read: $out"
  waitlog "$tmp/log.implicit" "tls-cert name=default" || fail "no tls-cert log line"
  chown "$tlsuser" "$TLS/default/privkey.pem"
else
  echo "not root: privilege checks skipped"
fi

L=clientcert
# a client certificate is asked for once control/clientca.pem exists;
# the subject of one that verifies becomes SSL_CLIENT_S_DN
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Test CA" \
  -keyout "$tmp/ca.key" -out "$tmp/ca.pem" 2>/dev/null || fail "CA"
openssl req -newkey rsa:2048 -nodes -subj "/O=Example/CN=client.test" \
  -keyout "$tmp/client.key" -out "$tmp/client.csr" 2>/dev/null || fail "client csr"
openssl x509 -req -in "$tmp/client.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
  -CAcreateserial -days 2 -out "$tmp/client.crt" 2>/dev/null || fail "client cert"
cat "$tmp/client.key" "$tmp/client.crt" > "$tmp/client.pem"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=stranger.test" \
  -keyout "$tmp/stranger.key" -out "$tmp/stranger.crt" 2>/dev/null || fail "stranger cert"
cat "$tmp/stranger.key" "$tmp/stranger.crt" > "$tmp/stranger.pem"
cp "$tmp/ca.pem" "$QMAILDIR/control/clientca.pem"
chmod 644 "$QMAILDIR/control/clientca.pem"
out=$(client "$P1" "" "$tmp/client.pem")
echo "$out" | grep -q "dn=CN=client.test,O=Example " || fail "SSL_CLIENT_S_DN: $out"
out=$(client "$P1" "" "$tmp/stranger.pem")
echo "$out" | grep -q "^got ping" || fail "an unverified client certificate was refused: $out"
echo "$out" | grep -q "dn= " || fail "an unverified subject was exported: $out"
out=$(client "$P1" "")
echo "$out" | grep -q "dn= " || fail "no client certificate: $out"
rm -f "$QMAILDIR/control/clientca.pem"

L=worldreadable
chmod 644 "$TLS/other.example.test/privkey.pem"
out=$(client "$P1" other.example.test)
echo "$out" | grep -q "subject=CN = default.test\|subject=CN = replaced.test" || fail "a world-readable key was served: $out"
waitlog "$tmp/log.implicit" 'tls-cert name=other.example.test reason=privkey.pem\x20readable' ||
  fail "no log line for a world-readable key"
chmod 600 "$TLS/other.example.test/privkey.pem"

L=minversion
echo TLSv1.3 > "$QMAILDIR/control/tlsminversion"
out=$(timeout 10 openssl s_client -connect 127.0.0.1:$P1 -tls1_2 </dev/null 2>&1)
echo "$out" | grep -q "alert protocol version" || fail "tlsminversion TLSv1.3 let TLS 1.2 in: $out"
rm -f "$QMAILDIR/control/tlsminversion"

L=starttls
# qmail-smtpd behind qvtls: STARTTLS on one port, implicit TLS on another
sandbox_control me localhost rcpthosts example.test smtprcptcheck 0
sandbox_qq
serve smtp "$B/qvtls" -d "$TLS" $ugid env QMAILQUEUE="$tmp/qq" "$B/qmail-smtpd"
PS=$port
serve smtps "$B/qvtls" -i -d "$TLS" $ugid env QMAILQUEUE="$tmp/qq" "$B/qmail-smtpd"
PI=$port
serve smtpnotls "$B/qvtls" -d "$TLS" $ugid env DISABLETLS=1 QMAILQUEUE="$tmp/qq" "$B/qmail-smtpd"
PN=$port
cat > "$tmp/smtp.py" <<'EOT'
import socket, ssl, sys, time
mode, port = sys.argv[1], int(sys.argv[2])
from mailclient import smtp_reply as reply, tls_context
ctx = tls_context()
def opened(tls=False):
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    if tls:
        s = ctx.wrap_socket(s, server_hostname='mail.example.test')
    f = s.makefile('rb')
    g = reply(f)
    assert g.startswith('220 '), g
    s.sendall(b'EHLO client.test\r\n')
    return s, f, reply(f)
def starttls(s, f):
    s.sendall(b'STARTTLS\r\n')
    r = reply(f)
    assert r.startswith('220 '), r
    t = ctx.wrap_socket(s, server_hostname='mail.example.test')
    return t, t.makefile('rb')
def send(s, f):
    for c in [b'MAIL FROM:<a@client.test>', b'RCPT TO:<demo@example.test>', b'DATA']:
        s.sendall(c + b'\r\n')
        r = reply(f)
        assert r[:1] in '23', (c, r)
    s.sendall(b'Subject: t\r\n\r\nbody\r\n.\r\n')
    r = reply(f)
    assert r.startswith('250 '), r
    s.sendall(b'QUIT\r\n')
    reply(f)
if mode == 'starttls':
    s, f, e = opened()
    assert '250-STARTTLS' in e, e
    s.sendall(b'STARTTLS now\r\n')
    r = reply(f)
    assert r.startswith('501 '), r
    t, g = starttls(s, f)
    t.sendall(b'EHLO client.test\r\n')
    e = reply(g)
    assert e.startswith('250-') and 'STARTTLS' not in e, e
    t.sendall(b'STARTTLS\r\n')
    r = reply(g)
    assert r.startswith('502 '), r
    send(t, g)
    print('starttls ok')
elif mode == 'implicit':
    s, f, e = opened(tls=True)
    assert e.startswith('250-') and 'STARTTLS' not in e, e
    send(s, f)
    print('implicit ok')
elif mode == 'disabled':
    s, f, e = opened()
    assert 'STARTTLS' not in e, e
    s.sendall(b'STARTTLS\r\n')
    r = reply(f)
    assert r.startswith('502 '), r
    print('disabled ok')
elif mode == 'inject-buffered':
    # the injected command arrives with STARTTLS in one segment: qmail-smtpd
    # has it in its buffer and must throw it away
    s, f, e = opened()
    s.sendall(b'STARTTLS\r\nMAIL FROM:<inject@evil.test>\r\n')
    r = reply(f)
    assert r.startswith('220 '), r
    try:
        t = ctx.wrap_socket(s, server_hostname='mail.example.test')
    except (ssl.SSLError, OSError) as x:
        print('inject: handshake failed'); sys.exit(0)
    g = t.makefile('rb')
    t.sendall(b'EHLO client.test\r\n')
    r = reply(g)
    print('inject: first reply inside TLS: ' + r.splitlines()[0] if r else 'inject: no reply')
    assert r.startswith('250-'), 'INJECTED: ' + r
    t.sendall(b'RCPT TO:<demo@example.test>\r\n')
    r = reply(g)
    assert r.startswith('503'), 'INJECTED MAIL ran: ' + r
elif mode == 'inject-kernel':
    # the injected command follows the 220 before the ClientHello: it is
    # in the kernel when the socket changes hands, so the helper reads it
    # as handshake bytes and the handshake fails
    s, f, e = opened()
    s.sendall(b'STARTTLS\r\n')
    r = reply(f)
    assert r.startswith('220 '), r
    s.sendall(b'MAIL FROM:<inject@evil.test>\r\n')
    time.sleep(0.3)
    try:
        t = ctx.wrap_socket(s, server_hostname='mail.example.test')
        t.sendall(b'EHLO client.test\r\n')
        r = t.recv(1000)
        print('INJECTED? handshake succeeded: %r' % r); sys.exit(1)
    except (ssl.SSLError, OSError) as x:
        print('inject: handshake failed')
EOT
smtp() { timeout 30 python3 "$tmp/smtp.py" "$@" 2>&1; }
out=$(smtp starttls "$PS") || fail "STARTTLS session: $out"
grep -q "with ESMTPS (TLS_AES" "$tmp"/out/msg* || fail "Received: no ESMTPS: $(cat "$tmp"/out/msg*)"
rm -f "$tmp"/out/*
out=$(smtp implicit "$PI") || fail "SMTPS session: $out"
grep -q "with ESMTPS (TLS_AES" "$tmp"/out/msg* || fail "SMTPS Received: no ESMTPS"
out=$(smtp disabled "$PN") || fail "DISABLETLS=1: $out"
L=injection
: > "$tmp/log.smtp"
rm -f "$tmp"/out/*
out=$(smtp inject-buffered "$PS") || fail "$out"
echo "$out"
out=$(smtp inject-kernel "$PS") || fail "$out"
echo "$out"
waitlog "$tmp/log.smtp" "tls-handshake-fail ip=127.0.0.1" || fail "no handshake failure logged"
ls "$tmp"/out/env* >/dev/null 2>&1 && fail "an injected transaction reached the queue"
if command -v swaks >/dev/null 2>&1; then
  L=swaks
  out=$(timeout 30 swaks --server 127.0.0.1:$PS --tls --to demo@example.test --from a@client.test 2>&1) ||
    fail "swaks --tls: $out"
  grep -q "with ESMTPS" "$tmp"/out/msg* || fail "swaks: no ESMTPS"
fi

L=tcpserver
sandbox_serve -n tcpserver tcpserver -1 -R -H 127.0.0.1 0 "$B/qvtls" -i -d "$TLS" $ugid "$tmp/prog.sh"
P2=$port
out=$(client "$P2" mail.example.test)
echo "$out" | grep -q "subject=CN = mail.example.test" || fail "under tcpserver: $out"
echo "$out" | grep -q "^got ping" || fail "relay under tcpserver: $out"
sandbox_serve -n tcpserver2 tcpserver -1 -R -H 127.0.0.1 0 "$B/qvtls" -d "$TLS" $ugid env QMAILQUEUE="$tmp/qq" "$B/qmail-smtpd"
P3=$port
out=$(smtp starttls "$P3") || fail "STARTTLS under tcpserver: $out"

if [ -x "$B/qmail-popup" ]; then
  L=pop3
  # qmail-popup behind qvtls: STLS on one port, POP3S on the other
  serve pop3 "$B/qvtls" -d "$TLS" $ugid "$B/qmail-popup" localhost /bin/false /bin/true
  PP=$port
  serve pop3s "$B/qvtls" -i -d "$TLS" $ugid "$B/qmail-popup" localhost /bin/false /bin/true
  PPS=$port
  out=$(timeout 20 python3 - "$PP" "$PPS" <<'EOT'
import socket, ssl, sys
from mailclient import tls_context
ctx = tls_context()
def capa(f, s):
    s.sendall(b'CAPA\r\n')
    assert f.readline().startswith(b'+OK')
    out = []
    while True:
        l = f.readline()
        assert l, 'eof in CAPA'
        if l == b'.\r\n':
            return out
        out.append(l.strip())
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
f = s.makefile('rb')
assert f.readline().startswith(b'+OK')
assert b'STLS' in capa(f, s)
s.sendall(b'STLS\r\n')
assert f.readline().startswith(b'+OK')
t = ctx.wrap_socket(s, server_hostname='mail.example.test')
c = capa(t.makefile('rb'), t)
assert b'STLS' not in c, c
print('stls ok')
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
f = s.makefile('rb')
assert f.readline().startswith(b'+OK')
s.sendall(b'STLS\r\nUSER injected\r\n')
r = f.readline()
assert r.startswith(b'+OK'), r
try:
    t = ctx.wrap_socket(s, server_hostname='mail.example.test')
    g = t.makefile('rb')
    c = capa(g, t)
    assert b'STLS' not in c, c
    print('stls ok (pipelined USER dropped)')
except (ssl.SSLError, OSError):
    print('stls: handshake failed on the injected bytes')
s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10),
                    server_hostname='mail.example.test')
f = s.makefile('rb')
assert f.readline().startswith(b'+OK')
assert b'STLS' not in capa(f, s)
print('pop3s ok')
EOT
  ) || fail "POP3 STLS / POP3S: $out"
  echo "$out"
fi

echo "t-tls: ok"
exit 0
