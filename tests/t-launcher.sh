#!/bin/sh
# qvtcpserver end to end: rules CDB from Debian's real tcprules, UCSPI
# environment, deny, IPv6, global and per-IP limits (refusal line, never a
# hang), reaping, privilege drop (as root), SIGTERM exit 0.
# Every wait is bounded; every started process is killed on exit.
: "${QV_BUILD:?}" "${QV_SRC:?}"
bin="$QV_BUILD/bin/qvtcpserver"
tmp=$(mktemp -d) || exit 111
export QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v"
pids=""
cleanup() {
  for p in $pids; do kill -TERM "$p" 2>/dev/null; done
  # children still holding connections end when their client closes or
  # their timeout expires; kill the ones we can name
  [ -f "$tmp/kids" ] && for p in $(cat "$tmp/kids"); do kill -TERM "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "FAIL: $*"; for l in "$tmp"/log.*; do [ -f "$l" ] && { echo "--- $l"; cat "$l"; }; done; exit 1; }
command -v tcprules >/dev/null || fail "tcprules (ucspi-tcp-ipv6) not installed"

cat > "$tmp/rules.txt" <<'EOT'
# comment
127.0.0.1:allow,RELAYCLIENT=""
127.0.0.9:deny
127.0.0.3:allow,MAXCONIP="1",REFUSALMSG="-ERR too many from you"
::1:allow,V6="yes"
127.0.0.:allow,PFX="1"
:allow,DEF="1"
EOT
timeout 10 tcprules "$tmp/rules.cdb" "$tmp/rules.tmp" < "$tmp/rules.txt" || fail "tcprules"

cat > "$tmp/env.sh" <<'EOT'
#!/bin/sh
env | grep -E '^(PROTO|TCP[A-Z0-9]*|RELAYCLIENT|DEF|PFX|V6|MAXCONIP)=' | sort
EOT
cat > "$tmp/hold.sh" <<'EOT'
#!/bin/sh
echo $$ >> "$KIDS"
echo hello
exec timeout 20 head -c 1 > /dev/null
EOT
chmod +x "$tmp/env.sh" "$tmp/hold.sh"
export KIDS="$tmp/kids"

cat > "$tmp/client.py" <<'EOT'
import socket, sys
def conn(src, dst, port):
    fam = socket.AF_INET6 if ':' in dst else socket.AF_INET
    s = socket.socket(fam)
    s.settimeout(15)
    s.bind((src, 0))
    s.connect((dst, port))
    return s
def readall(s):
    d = b''
    while True:
        x = s.recv(4096)
        if not x:
            return d
        d += x
def readline(s):
    d = b''
    while not d.endswith(b'\n'):
        x = s.recv(1)
        if not x:
            break
        d += x
    return d
mode, port = sys.argv[1], int(sys.argv[2])
if mode == 'env':            # env SRC DST: whole output of prog
    s = conn(sys.argv[3], sys.argv[4], port)
    sys.stdout.write(readall(s).decode())
elif mode == 'envretry':     # as env, retrying a refused connect (Debian's
    import time              # tcpserver may print its port before listening)
    s = None
    for i in range(100):     # at most 10 s, then a clear failure
        try:
            s = conn(sys.argv[3], sys.argv[4], port)
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    if s is None:
        print('connection refused for 10 s', file=sys.stderr); sys.exit(1)
    sys.stdout.write(readall(s).decode())
elif mode == 'holdfor':      # holdfor SECS SRC DST: one connection kept SECS
    import time
    s = conn(sys.argv[4], sys.argv[5], port)
    print('got %r' % readline(s), flush=True)
    time.sleep(float(sys.argv[3]))
    s.close()
elif mode == 'hold':         # hold N SRC DST [SRC2]: N held, then one more
    n, src, dst = int(sys.argv[3]), sys.argv[4], sys.argv[5]
    src2 = sys.argv[6] if len(sys.argv) > 6 else src
    held = []
    for i in range(n):
        s = conn(src, dst, port)
        line = readline(s)
        if line != b'hello\n':
            print('held %d got %r' % (i, line)); sys.exit(1)
        held.append(s)
    s = conn(src2, dst, port)
    try:
        d = readline(s)
    except socket.timeout:
        d = b'TIMEOUT'
    print('extra %r' % d)
    for h in held:
        h.close()
EOT
client() { timeout 30 python3 "$tmp/client.py" "$@"; }

# start NAME args...: runs qvtcpserver on a free port (-1 prints it);
# sets port and spid. Retries a few times.
start() {
  name=$1; shift
  tries=0
  while [ $tries -lt 5 ]; do
    tries=$((tries + 1))
    : > "$tmp/port.$name"
    ${launcher:-"$bin"} -1 "$@" > "$tmp/port.$name" 2> "$tmp/log.$name" &
    spid=$!
    pids="$pids $spid"
    i=0
    while [ $i -lt 50 ] && [ ! -s "$tmp/port.$name" ] && kill -0 $spid 2>/dev/null; do
      sleep 0.1; i=$((i + 1))
    done
    port=$(head -n 1 "$tmp/port.$name")
    [ -n "$port" ] && return 0
    kill -TERM $spid 2>/dev/null
  done
  fail "qvtcpserver $name did not start"
}

# stop PID: SIGTERM, bounded wait, exit status must be 0
stop() {
  kill -TERM "$1" || fail "kill $1"
  i=0
  while [ $i -lt 50 ] && [ -d "/proc/$1" ] && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ]; do
    sleep 0.1; i=$((i + 1))
  done
  kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ] && fail "still running after SIGTERM"
  wait "$1"
}

# 1. rules, environment, deny, IPv6
TCPREMOTEHOST=bogus TCPREMOTEINFO=bogus start env -x "$tmp/rules.cdb" -l me.example -R -H 0 0 "$tmp/env.sh"
srv=$spid
client env $port 127.0.0.1 127.0.0.1 > "$tmp/e1" || fail "client 127.0.0.1"
for want in PROTO=TCP TCPREMOTEIP=127.0.0.1 TCPLOCALIP=127.0.0.1 TCPLOCALPORT=$port \
            TCPLOCALHOST=me.example RELAYCLIENT=; do
  grep -qx "$want" "$tmp/e1" || { cat "$tmp/e1"; fail "127.0.0.1: no $want"; }
done
grep -qE '^TCPREMOTEPORT=[0-9]+$' "$tmp/e1" || fail "TCPREMOTEPORT"
grep -q '^TCPREMOTEHOST=' "$tmp/e1" && fail "TCPREMOTEHOST set"
grep -q '^TCPREMOTEINFO=' "$tmp/e1" && fail "TCPREMOTEINFO set"
grep -q '^DEF=' "$tmp/e1" && fail "127.0.0.1 got the default rule too"

client env $port 127.0.0.2 127.0.0.1 > "$tmp/e2" || fail "client 127.0.0.2"
grep -qx TCPREMOTEIP=127.0.0.2 "$tmp/e2" || { cat "$tmp/e2"; fail "127.0.0.2 env"; }
grep -q '^RELAYCLIENT' "$tmp/e2" && fail "RELAYCLIENT for 127.0.0.2"
grep -qx PFX=1 "$tmp/e2" || fail "prefix rule 127.0.0. for 127.0.0.2"
grep -q '^DEF=' "$tmp/e2" && fail "127.0.0.2 got the default rule"
client env $port 127.1.0.2 127.0.0.1 > "$tmp/e3" || fail "client 127.1.0.2"
grep -qx DEF=1 "$tmp/e3" || { cat "$tmp/e3"; fail "default rule variable for 127.1.0.2"; }
grep -q '^PFX=' "$tmp/e3" && fail "prefix rule matched 127.1.0.2"

client env $port 127.0.0.9 127.0.0.1 > "$tmp/e9" || fail "client 127.0.0.9"
[ -s "$tmp/e9" ] && { cat "$tmp/e9"; fail "denied client got output"; }
grep -q 'deny ip=127.0.0.9' "$tmp/log.env" || fail "no deny log line"

client env $port ::1 ::1 > "$tmp/e6" || fail "client ::1"
for want in PROTO=TCP6 TCPREMOTEIP=::1 TCPLOCALIP=::1 TCP6REMOTEIP=::1 V6=yes; do
  grep -qx "$want" "$tmp/e6" || { cat "$tmp/e6"; fail "::1: no $want"; }
done

# one start and one end line per connection
grep -qE '^qvtcpserver: info: start pid=[0-9]+ ip=127\.0\.0\.1 port=[0-9]+$' "$tmp/log.env" || fail "start line"
i=0
while [ $i -lt 50 ] && [ "$(grep -c 'info: end pid=[0-9]* status=0' "$tmp/log.env")" -lt 4 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(grep -c 'info: end pid=[0-9]* status=0' "$tmp/log.env")" = 4 ] || fail "end lines"
[ "$(grep -c 'info: start pid=' "$tmp/log.env")" = 4 ] || fail "start lines"

stop $srv || fail "exit status after SIGTERM not 0"
client env $port 127.0.0.1 127.0.0.1 > /dev/null 2>&1 && fail "still listening after SIGTERM"

# 1b. same environment as Debian's tcpserver (IPv6 patch) with the same
# rules file, for an IPv4 and an IPv6 client (ports differ, so dropped)
for fam in 127.0.0.1 ::1; do
  # Debian's tcpserver -1 with port 0 now and then prints nothing: retry
  tries=0 rport=
  while [ $tries -lt 5 ] && [ -z "$rport" ]; do
    tries=$((tries + 1))
    tcpserver -1 -H -R -l me.example -x "$tmp/rules.cdb" $fam 0 "$tmp/env.sh" > "$tmp/port.real" 2> "$tmp/log.real" &
    rpid=$!
    pids="$pids $rpid"
    i=0
    while [ $i -lt 30 ] && [ ! -s "$tmp/port.real" ]; do sleep 0.1; i=$((i + 1)); done
    rport=$(head -n 1 "$tmp/port.real")
    [ -n "$rport" ] || kill -KILL $rpid 2>/dev/null
  done
  [ -n "$rport" ] || fail "real tcpserver did not start"
  start cmp -H -R -l me.example -x "$tmp/rules.cdb" $fam 0 "$tmp/env.sh"
  client envretry $rport $fam $fam | grep -v 'PORT=' > "$tmp/real.env" || fail "client real tcpserver"
  client env $port $fam $fam | grep -v 'PORT=' > "$tmp/ours.env" || fail "client qvtcpserver"
  [ -s "$tmp/real.env" ] || fail "no output from real tcpserver"
  diff "$tmp/real.env" "$tmp/ours.env" || fail "environment differs from tcpserver's for $fam"
  kill -TERM $rpid
  stop $spid || fail "cmp server exit status"
done

# 2. global limit: -c 2 refuses the third with the -m line, at once
start limit -c 2 -m "421 service busy" -x "$tmp/rules.cdb" 127.0.0.1 0 "$tmp/hold.sh"
srv=$spid
client hold $port 2 127.0.0.1 127.0.0.1 > "$tmp/h1" || { cat "$tmp/h1"; fail "hold 2"; }
grep -qF "extra b'421 service busy\r\n'" "$tmp/h1" || { cat "$tmp/h1"; fail "global limit refusal"; }
grep -q 'refuse reason=limit ip=127.0.0.1' "$tmp/log.limit" || fail "refuse log line"
# the held children end when their clients close: slots come back
i=0
while [ $i -lt 50 ] && [ "$(grep -c 'info: end pid=' "$tmp/log.limit")" -lt 2 ]; do sleep 0.1; i=$((i + 1)); done
client hold $port 2 127.0.0.1 127.0.0.1 > "$tmp/h2" || { cat "$tmp/h2"; fail "hold 2 again after reaping"; }
grep -qF "extra b'421 service busy\r\n'" "$tmp/h2" || { cat "$tmp/h2"; fail "second global refusal"; }
stop $srv || fail "limit server exit status"

# 2b. SIGTERM stops listening but leaves running children alone
: > "$KIDS"
start survive 127.0.0.1 0 "$tmp/hold.sh"
srv=$spid
client holdfor $port 3 127.0.0.1 127.0.0.1 > "$tmp/sv" &
cpid=$!
i=0
while [ $i -lt 50 ] && ! grep -q "got b'hello" "$tmp/sv"; do sleep 0.1; i=$((i + 1)); done
kid=$(tail -n 1 "$KIDS")
[ -n "$kid" ] && kill -0 "$kid" || fail "no child holding the connection"
stop $srv || fail "survive server exit status"
kill -0 "$kid" 2>/dev/null || fail "child killed by the server's SIGTERM"
client env $port 127.0.0.1 127.0.0.1 > /dev/null 2>&1 && fail "listening after SIGTERM with a child running"
wait $cpid

# 3. per-IP limits: -C 2, and MAXCONIP/REFUSALMSG from the rules
start perip -c 10 -C 2 -m "421 too many" -x "$tmp/rules.cdb" 127.0.0.1 0 "$tmp/hold.sh"
srv=$spid
client hold $port 2 127.0.0.1 127.0.0.1 > "$tmp/p1" || { cat "$tmp/p1"; fail "per-ip hold"; }
grep -qF "extra b'421 too many\r\n'" "$tmp/p1" || { cat "$tmp/p1"; fail "per-ip refusal"; }
grep -q 'refuse reason=per-ip-limit ip=127.0.0.1' "$tmp/log.perip" || fail "per-ip log line"
client hold $port 2 127.0.0.1 127.0.0.1 127.0.0.2 > "$tmp/p2" || { cat "$tmp/p2"; fail "per-ip other source"; }
grep -qF "extra b'hello\n'" "$tmp/p2" || { cat "$tmp/p2"; fail "another IP was refused"; }
client hold $port 1 127.0.0.3 127.0.0.1 > "$tmp/p3" || { cat "$tmp/p3"; fail "MAXCONIP hold"; }
grep -qF "extra b'-ERR too many from you\r\n'" "$tmp/p3" || { cat "$tmp/p3"; fail "MAXCONIP/REFUSALMSG from rules"; }
stop $srv || fail "per-ip server exit status"

# 4. privilege drop (root only): the child runs as the -u/-g ids
if [ "$(id -u)" = 0 ]; then
  printf '#!/bin/sh\necho "$(id -u) $(id -g) $(id -G)"\n' > "$tmp/id.sh"
  chmod 755 "$tmp/id.sh"
  chmod 755 "$tmp"
  start priv -u 65534 -g 65534 127.0.0.1 0 "$tmp/id.sh"
  srv=$spid
  client env $port 127.0.0.1 127.0.0.1 > "$tmp/id" || fail "client priv"
  grep -qx '65534 65534 65534' "$tmp/id" || { cat "$tmp/id"; fail "child ids after -u/-g"; }
  [ "$(awk '/^Uid:/{print $2 $3 $4 $5}' /proc/$srv/status)" = 65534655346553465534 ] || fail "server uid not dropped"
  stop $srv || fail "priv server exit status"
  # -U: ids from $UID/$GID, as envuidgid sets them
  UID=65534 GID=65534 start privU -U 127.0.0.1 0 "$tmp/id.sh"
  srv=$spid
  client env $port 127.0.0.1 127.0.0.1 > "$tmp/idU" || fail "client -U"
  grep -qx '65534 65534 65534' "$tmp/idU" || { cat "$tmp/idU"; fail "child ids after -U"; }
  stop $srv || fail "-U server exit status"
fi

# 5. out of descriptors: accept fails with EMFILE; the server logs, backs
# off (no busy loop), stays up, and serves the waiting client once
# descriptors are available again
if command -v prlimit > /dev/null; then
  # descriptors inherited from the caller (make's jobserver, ...) would
  # count against the limit: close them first
  printf '#!/bin/bash\nfor fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done\nulimit -S -n 6\nexec "$QVBIN" "$@"\n' > "$tmp/lowfd.sh"
  chmod +x "$tmp/lowfd.sh"
  QVBIN="$bin" launcher="$tmp/lowfd.sh" start lowfd 127.0.0.1 0 "$tmp/env.sh"
  srv=$spid
  client env $port 127.0.0.1 127.0.0.1 > "$tmp/lowfd.out" 2>&1 &
  cpid=$!
  i=0
  while [ $i -lt 50 ] && ! grep -q 'warn: backoff' "$tmp/log.lowfd"; do sleep 0.1; i=$((i + 1)); done
  grep -q 'warn: accept-failed error=EMFILE' "$tmp/log.lowfd" || fail "no accept-failed line on EMFILE"
  sleep 2
  n=$(grep -c 'warn: backoff' "$tmp/log.lowfd")
  [ "$n" -le 4 ] || fail "busy loop on EMFILE: $n backoffs in 2s"
  kill -0 $srv || fail "server died on EMFILE"
  prlimit --pid $srv --nofile=64: || fail prlimit
  i=0
  while [ $i -lt 100 ] && kill -0 $cpid 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
  wait $cpid || { cat "$tmp/lowfd.out"; fail "client of EMFILE server failed"; }
  grep -qx TCPREMOTEIP=127.0.0.1 "$tmp/lowfd.out" || { cat "$tmp/lowfd.out"; fail "not served after EMFILE"; }
  stop $srv || fail "lowfd server exit status"
fi

# 5b. fork fails (root only: RLIMIT_NPROC binds after the drop to -u):
# the client gets the refusal line at once, the server logs, backs off,
# and serves again once processes are available
if [ "$(id -u)" = 0 ] && command -v prlimit > /dev/null; then
  # LeakSanitizer's exit-time check needs a thread of its own, which a
  # one-process limit forbids: no leak check for this one server
  printf '#!/bin/sh\nulimit -S -p 1\nASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"\nexport ASAN_OPTIONS\nexec "$QVBIN" "$@"\n' > "$tmp/lowproc.sh"
  chmod +x "$tmp/lowproc.sh"
  QVBIN="$bin" launcher="$tmp/lowproc.sh" start lowproc -u 65534 -g 65534 -m "421 try later" 127.0.0.1 0 "$tmp/env.sh"
  srv=$spid
  client env $port 127.0.0.1 127.0.0.1 > "$tmp/lp1" || fail "client of fork-failing server"
  [ "$(cat "$tmp/lp1")" = "$(printf '421 try later\r')" ] || { od -c "$tmp/lp1"; fail "refusal line on fork failure"; }
  grep -q 'warn: fork-failed error=EAGAIN' "$tmp/log.lowproc" || fail "no fork-failed line"
  grep -q 'warn: backoff' "$tmp/log.lowproc" || fail "no backoff after fork failure"
  kill -0 $srv || fail "server died when fork failed"
  # raising the limit of a process of another uid needs CAP_SYS_RESOURCE,
  # which containers often lack: check the recovery only where it works
  if prlimit --pid $srv --nproc="$(ulimit -H -p):" 2>/dev/null; then
    sleep 1.2
    client env $port 127.0.0.1 127.0.0.1 > "$tmp/lp2" || fail "client after fork recovery"
    grep -qx TCPREMOTEIP=127.0.0.1 "$tmp/lp2" || { cat "$tmp/lp2"; fail "not served after fork failure"; }
  fi
  stop $srv || fail "lowproc server exit status"
fi

# 6. usage errors are permanent
"$bin" -c x 0 0 true 2>/dev/null; [ $? = 100 ] || fail "bad -c not exit 100"
"$bin" 0 2>/dev/null; [ $? = 100 ] || fail "missing args not exit 100"
"$bin" not.an.ip 0 true 2>/dev/null; [ $? = 100 ] || fail "bad host not exit 100"
echo ok
