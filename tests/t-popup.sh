#!/bin/sh
# tests/t-popup.sh — qmail-popup transcripts: the program runs over a
# pipe pair and over a socketpair (its two read paths) with a fake
# checkpassword that records fd 3 and, for the user "good", execs a fake
# qmail-pop3d echoing what it reads (so pipelined commands after PASS
# must reach it). Checks the greeting, CAPA with and without FORCETLS,
# plaintext refusal, USER/PASS/APOP/AUTH PLAIN/LOGIN and the exact fd 3
# records, cancel and malformed SASL, the failure limit and its log
# line, temporary failure, line limits, QUIT, NOOP, end of input.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
chmod 777 "$tmp"
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
P="$QV_BUILD/bin/qmail-popup"
[ -x "$P" ] || { echo "no $P"; exit 1; }
mkdir -p "$tmp/q/control" "$tmp/rec"
chmod 777 "$tmp/rec"
chmod -R a+rX "$tmp/q"

cat > "$tmp/checkpw" <<'EOT'
#!/bin/sh
# fake checkpassword: record fd 3, then decide by the user name
n=$(ls "$REC" | wc -l)
cat <&3 > "$REC/$n"
user=$(tr '\0' '\n' < "$REC/$n" | head -n 1)
case $user in
  good) exec "$@" ;;
  temp) exit 111 ;;
  weird) exit 7 ;;
  *) exit 1 ;;
esac
EOT
cat > "$tmp/pop3d" <<'EOT'
#!/bin/sh
printf '+OK \r\n'
while IFS= read -r line; do
  line=$(printf '%s' "$line" | tr -d '\r')
  printf '+OK got %s\r\n' "$line"
  [ "$line" = QUIT ] && exit 0
done
exit 0
EOT
chmod 755 "$tmp/checkpw" "$tmp/pop3d"

cat > "$tmp/t.py" <<'EOT'
import base64, os, re, select, socket, subprocess, sys, time
P, tmp = sys.argv[1], sys.argv[2]
rec = tmp + '/rec'
bad = 0
def fail(msg):
    global bad
    print('FAIL [%s]: %s' % (mode, msg)); bad = 1

class Popup:
    def __init__(self, env=None, sock=False):
        e = {'PATH': '/usr/bin:/bin', 'QMAILDIR': tmp + '/q', 'REC': rec,
             'TCPREMOTEIP': '192.0.2.9'}
        e.update(env or {})
        self.log = open(tmp + '/log', 'ab')
        pre = []
        if os.getuid() == 0:
            pre = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
        argv = pre + [P, 'testhost', tmp + '/checkpw', tmp + '/pop3d']
        if sock:
            a, b = socket.socketpair()
            self.p = subprocess.Popen(argv, stdin=b, stdout=b, stderr=self.log, env=e)
            b.close()
            self.w = lambda d: a.sendall(d)
            self.fd = a.fileno()
            self.keep = a
        else:
            self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self.log, env=e, bufsize=0)
            self.w = lambda d: (self.p.stdin.write(d), self.p.stdin.flush())
            self.fd = self.p.stdout.fileno()
        self.buf = b''
    def line(self, timeout=10):
        end = time.time() + timeout
        while b'\n' not in self.buf:
            r, _, _ = select.select([self.fd], [], [], max(0, end - time.time()))
            if not r:
                return 'TIMEOUT'
            try:
                d = os.read(self.fd, 4096)
            except ConnectionResetError:   # closed with our input unread
                d = b''
            if not d:
                return 'EOF'
            self.buf += d
        l, self.buf = self.buf.split(b'\n', 1)
        return (l + b'\n').decode('latin-1')
    def send(self, s):
        try:
            self.w(s.encode('latin-1') if isinstance(s, str) else s)
        except (BrokenPipeError, ConnectionResetError):
            pass
    def cmd(self, s, timeout=10):
        self.send(s + '\r\n')
        return self.line(timeout)
    def multi(self):
        out = []
        while True:
            l = self.line()
            out.append(l)
            if l in ('.\r\n', 'EOF', 'TIMEOUT'):
                return out
    def close(self):
        try:
            self.p.stdin and self.p.stdin.close()
        except BrokenPipeError:
            pass
        if hasattr(self, 'keep'):
            self.keep.shutdown(socket.SHUT_WR)
        return self.p.wait(20)

def records():
    return [open(os.path.join(rec, f), 'rb').read()
            for f in sorted(os.listdir(rec), key=int)]
def clear():
    for f in os.listdir(rec):
        os.unlink(os.path.join(rec, f))
def expect(got, want, what):
    if got != want:
        fail('%s: got %r, want %r' % (what, got, want))
def b64(s):
    return base64.b64encode(s.encode()).decode()

for mode in ('pipe', 'socket'):
    sock = mode == 'socket'
    open(tmp + '/log', 'wb').close()
    # greeting, CAPA under FORCETLS (default): no USER, no SASL, no STLS
    p = Popup(sock=sock)
    g = p.line()
    m = re.match(r'^\+OK (<\d+\.\d+@testhost>)\r\n$', g)
    if not m:
        fail('greeting %r' % g)
    p.send('CAPA\r\n')
    capa = p.multi()
    if 'TOP\r\n' not in capa or 'UIDL\r\n' not in capa:
        fail('CAPA lacks TOP/UIDL: %r' % capa)
    if 'USER\r\n' in capa or any(l.startswith('SASL') for l in capa) or 'STLS\r\n' in capa:
        fail('CAPA under FORCETLS offers plaintext or STLS: %r' % capa)
    plain = '-ERR [AUTH] Plaintext authentication disallowed on non-secure connections\r\n'
    expect(p.cmd('USER good'), plain, 'USER under FORCETLS')
    expect(p.cmd('PASS pw'), plain, 'PASS under FORCETLS')
    expect(p.cmd('AUTH PLAIN ' + b64('\0good\0pw')), plain, 'AUTH under FORCETLS')
    expect(p.cmd('STLS'), '-ERR STLS not available\r\n', 'STLS without QVTLSCTL')
    expect(p.cmd('NOOP'), '+OK \r\n', 'NOOP')
    expect(p.cmd('STAT'), '-ERR authorization first\r\n', 'STAT')
    expect(records(), [], 'nothing reached checkpassword')
    # APOP is not plaintext: allowed, with name\0digest\0timestamp\0
    expect(p.cmd('APOP good 0123456789abcdef0123456789abcdef'), '+OK \r\n', 'APOP')
    expect(p.cmd('QUIT'), '+OK got QUIT\r\n', 'APOP session')
    expect(p.close(), 0, 'exit after APOP session')
    expect(records(), [b'good\x000123456789abcdef0123456789abcdef\x00' + m.group(1).encode() + b'\x00'],
           'APOP fd 3')
    clear()

    # FORCETLS=0: CAPA lists USER and SASL; USER/PASS with pipelining
    p = Popup({'FORCETLS': '0'}, sock=sock)
    g = p.line()
    ts = re.match(r'^\+OK (<.*>)\r\n$', g).group(1)
    p.send('CAPA\r\n')
    capa = p.multi()
    if 'USER\r\n' not in capa or 'SASL PLAIN LOGIN\r\n' not in capa:
        fail('CAPA with FORCETLS=0: %r' % capa)
    expect(p.cmd('PASS pw'), '-ERR USER first\r\n', 'PASS first')
    expect(p.cmd('USER'), '-ERR syntax error\r\n', 'USER without name')
    expect(p.cmd('APOP good'), '-ERR syntax error\r\n', 'APOP without digest')
    expect(p.cmd('x' * 300), '-ERR line too long\r\n', 'long line')
    expect(p.cmd('user good'), '+OK \r\n', 'USER (lower case)')
    expect(p.cmd('PASS'), '-ERR syntax error\r\n', 'empty PASS')
    p.send('PASS p w \r\nSTAT\r\nQUIT\r\n')
    got = [p.line(), p.line(), p.line()]
    expect(got, ['+OK \r\n', '+OK got STAT\r\n', '+OK got QUIT\r\n'], 'pipelined after PASS')
    expect(p.close(), 0, 'exit after session')
    expect(records(), [b'good\x00p w \x00' + ts.encode() + b'\x00'], 'USER/PASS fd 3')
    clear()

    # a refused login, then a good one; the delay is applied
    p = Popup({'FORCETLS': '0'}, sock=sock)
    p.line()
    p.cmd('USER bad')
    t0 = time.time()
    expect(p.cmd('PASS nope'), '-ERR [AUTH] authorization failed\r\n', 'refused')
    if time.time() - t0 < 1.5:
        fail('no failure delay (%.2fs)' % (time.time() - t0))
    expect(p.cmd('PASS pw'), '-ERR USER first\r\n', 'USER forgotten after failure')
    # AUTH PLAIN with an initial response: user\0pass\0\0 (no timestamp)
    expect(p.cmd('AUTH PLAIN ' + b64('zid\0good\0s3cret')), '+OK \r\n', 'AUTH PLAIN ir')
    expect(p.cmd('QUIT'), '+OK got QUIT\r\n', 'AUTH PLAIN session')
    expect(p.close(), 0, 'exit')
    r = records()
    expect(r[1:], [b'good\x00s3cret\x00\x00'], 'AUTH PLAIN fd 3')
    if b'\x00nope\x00' not in r[0]:
        fail('refused record %r' % r[0])
    clear()

    # AUTH PLAIN without ir, AUTH LOGIN both ways, cancel, bad base64
    p = Popup({'FORCETLS': '0'}, sock=sock)
    p.line()
    p.send('AUTH\r\n')
    expect(p.multi(), ['+OK\r\n', 'PLAIN\r\n', 'LOGIN\r\n', '.\r\n'], 'AUTH mechanism list')
    expect(p.cmd('AUTH CRAM-MD5'), '-ERR [AUTH] unsupported authentication mechanism\r\n', 'CRAM')
    expect(p.cmd('AUTH PLAIN'), '+ \r\n', 'PLAIN prompt')
    expect(p.cmd('*'), '-ERR [AUTH] authentication cancelled\r\n', 'cancel')
    expect(p.cmd('AUTH PLAIN'), '+ \r\n', 'PLAIN prompt')
    expect(p.cmd('!!!!'), '-ERR [AUTH] malformed authentication data\r\n', 'bad base64')
    expect(p.cmd('AUTH PLAIN ' + b64('nonul')), '-ERR [AUTH] malformed authentication data\r\n', 'PLAIN without NULs')
    expect(p.cmd('AUTH PLAIN ='), '-ERR [AUTH] malformed authentication data\r\n', 'PLAIN empty')
    expect(p.cmd('AUTH LOGIN'), '+ VXNlcm5hbWU6\r\n', 'LOGIN user prompt')
    expect(p.cmd(b64('good')), '+ UGFzc3dvcmQ6\r\n', 'LOGIN pass prompt')
    expect(p.cmd(b64('pw2')), '+OK \r\n', 'LOGIN')
    expect(p.cmd('QUIT'), '+OK got QUIT\r\n', 'LOGIN session')
    p.close()
    p = Popup({'FORCETLS': '0'}, sock=sock)
    p.line()
    expect(p.cmd('AUTH LOGIN ' + b64('good')), '+ UGFzc3dvcmQ6\r\n', 'LOGIN ir')
    expect(p.cmd(b64('pw3')), '+OK \r\n', 'LOGIN ir pass')
    p.cmd('QUIT')
    p.close()
    expect(records(), [b'good\x00pw2\x00\x00', b'good\x00pw3\x00\x00'], 'AUTH LOGIN fd 3')
    clear()

    # the failure limit: authfailmax 1 closes after the first refusal
    with open(tmp + '/q/control/authfailmax', 'w') as f:
        f.write('1\n')
    p = Popup({'FORCETLS': '0'}, sock=sock)
    p.line()
    p.cmd('USER bad')
    expect(p.cmd('PASS x'), '-ERR [AUTH] too many authentication failures\r\n', 'limit')
    expect(p.line(), 'EOF', 'closed after the limit')
    expect(p.close(), 1, 'exit code after the limit')
    os.unlink(tmp + '/q/control/authfailmax')
    log = open(tmp + '/log').read()
    if 'qmail-popup: warn: auth-limit ip=192.0.2.9 failures=1' not in log:
        fail('no auth-limit log line: %r' % log)
    if 'auth-fail' in log:
        fail('qmail-popup wrote an auth-fail line (vchkpw writes the one per failure)')
    # temporary failure: [SYS/TEMP], exit 111
    p = Popup({'FORCETLS': '0'}, sock=sock)
    p.line()
    p.cmd('USER temp')
    expect(p.cmd('PASS x'), '-ERR [SYS/TEMP] temporary failure, try again later\r\n', '111')
    expect(p.close(), 111, 'exit after 111')
    # an unknown checkpassword status closes the connection (qmail-popup's rule)
    p = Popup({'FORCETLS': '0'}, sock=sock)
    p.line()
    p.cmd('USER weird')
    expect(p.cmd('PASS x'), '-ERR authorization failed\r\n', 'exit 7')
    expect(p.line(), 'EOF', 'closed after exit 7')
    p.close()
    # QUIT, end of input, NUL byte
    p = Popup(sock=sock)
    p.line()
    expect(p.cmd('A\0B'), '-ERR syntax error (NUL byte)\r\n', 'NUL')
    expect(p.cmd('quit'), '+OK \r\n', 'QUIT')
    expect(p.line(), 'EOF', 'closed after QUIT')
    expect(p.close(), 0, 'QUIT exit')
    p = Popup(sock=sock)
    p.line()
    p.send('NOOP')
    expect(p.close(), 0, 'EOF exit')
    # too many bad commands
    p = Popup(sock=sock)
    p.line()
    p.send('BAD\r\n' * 25)
    out = [p.line() for _ in range(21)]
    expect(out[-1], '-ERR too many bad commands\r\n', 'bad command limit')
    expect(p.line(), 'EOF', 'closed after bad commands')
    p.close()
    clear()
    # timeoutpop3d bounds a whole line: dribbling bytes does not extend it
    with open(tmp + '/q/control/timeoutpop3d', 'w') as f:
        f.write('2\n')
    open(tmp + '/log', 'wb').close()
    p = Popup(sock=sock)
    p.line()
    t0 = time.time()
    for ch in 'NOOPNOOPNOOP':
        p.send(ch)
        time.sleep(0.4)
        if p.p.poll() is not None:
            break
    expect(p.close(), 0, 'exit after a timeout')
    if not 1.5 < time.time() - t0 < 4.5:
        fail('a dribbled line was given %.1fs with timeoutpop3d 2' % (time.time() - t0))
    if 'qmail-popup: info: timeout ip=192.0.2.9' not in open(tmp + '/log').read():
        fail('no timeout log line')
    os.unlink(tmp + '/q/control/timeoutpop3d')
    if not bad:
        print('ok   %s' % mode)
sys.exit(bad)
EOT
timeout 300 python3 "$tmp/t.py" "$P" "$tmp" || exit 1
# usage and root
out=$("$P" 2>/dev/null)
[ "$out" = "$(printf -- '-ERR usage: popup hostname subprogram\r')" ] || { echo "FAIL usage: $out"; exit 1; }
if [ "$(id -u)" = 0 ]; then
  # started as root (an old vpopmail run script): it becomes the
  # conf-users parser user and nofiles group before reading a byte
  pu=$(sed -n 3p "$QV_SRC/conf-users") ng=$(sed -n 5p "$QV_SRC/conf-users")
  if id "$pu" > /dev/null 2>&1 && getent group "$ng" > /dev/null; then
    printf '#!/bin/sh\necho "$(id -u) $(id -g) $(id -G)" > %s/rec/ids\nexit 1\n' "$tmp" > "$tmp/ids.sh"
    chmod 755 "$tmp/ids.sh"
    out=$(printf 'USER a\r\nPASS b\r\nQUIT\r\n' | FORCETLS=0 "$P" h "$tmp/ids.sh" x 2>/dev/null)
    want="$(id -u "$pu") $(getent group "$ng" | cut -d: -f3) $(getent group "$ng" | cut -d: -f3)"
    [ "$(cat "$tmp/rec/ids" 2>/dev/null)" = "$want" ] ||
      { echo "FAIL root drop: ids $(cat "$tmp/rec/ids" 2>/dev/null), want $want; out: $out"; exit 1; }
  fi
fi
exit 0
