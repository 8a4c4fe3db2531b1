#!/bin/sh
# End to end over pipes: qmail-smtpd hands the message to qvmail's
# queue step — run by the session's qmail-rcptcheck (no exec per
# message) or, with QMAILQUEUE set and for messages over 1 MB, by the
# qmail-queue program — which delivers it; the SMTP reply follows the
# queue step's exit code (250 only when the file is in new/, 451 for a
# remote recipient or an unreachable helper, 554 for an undeliverable
# one). Also the helper's queue records: a descriptor is accepted only
# with a queue record, and only a sealed memory file is delivered.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; tail -n 5 "$tmp/log"; exit 1; }
export QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v"
mkdir -p "$QMAILDIR/users" "$QMAILDIR/control" "$QMAILDIR/bin" "$VPOPMAILDIR/domains" "$VPOPMAILDIR/bin"
B="$QV_BUILD/bin"
cp "$B/qmail-queue" "$B/qmail-rcptcheck" "$QMAILDIR/bin/"
echo mx.ex.com > "$QMAILDIR/control/me"
"$B/vadddomain" ex.com pmpass > /dev/null || fail vadddomain
"$B/vadduser" bob@ex.com pw > /dev/null || fail vadduser
NEW="$VPOPMAILDIR/domains/ex.com/bob/Maildir/new"
printf '| %s/bin/vdelivermail '"''"' bounce-no-mailbox\n' "$VPOPMAILDIR" > "$VPOPMAILDIR/domains/ex.com/.qmail-default"
# qmail-smtpd refuses to run as root: as root, the sandbox is handed to
# nobody and both programs run as nobody (the sandbox's own user)
RUN=
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$tmp"
  chown -R 65534:65534 "$tmp/q" "$tmp/v"
  RUN="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
# session RCPT [ENV...]: one message to RCPT; prints the replies
session() {
  rcpt=$1; shift
  printf 'EHLO client.example\r\nMAIL FROM:<s@x.org>\r\nRCPT TO:<%s>\r\nDATA\r\nSubject: e2e\r\n\r\nline one\r\n..dotted\r\n.\r\nQUIT\r\n' "$rcpt" |
    env -u QMAILQUEUE TCPREMOTEIP=192.0.2.7 TCPLOCALIP=192.0.2.1 TCPLOCALHOST=mx.ex.com "$@" \
      $RUN "$B/qmail-smtpd" 2>> "$tmp/log" | tr -d '\r'
}
out=$(session bob@ex.com)
echo "$out" | grep -q '^250 2.0.0 ok' || fail "no 250 after DATA: $out"
f=$(ls "$NEW"/* 2>/dev/null | head -n 1)
[ -n "$f" ] || fail "250 but nothing in new/"
head -n 1 "$f" | grep -qx 'Return-Path: <s@x.org>' || fail "first line: $(head -n 1 "$f")"
sed -n 2p "$f" | grep -qx 'Delivered-To: bob@ex.com' || fail "Delivered-To"
grep -q '^Received: from ' "$f" || fail "no Received line"
tail -n 2 "$f" | head -n 1 | grep -qx 'line one' || fail "body"
tail -n 1 "$f" | grep -qx '.dotted' || fail "dot unstuffing"
[ "$(stat -c %a "$f")" = 600 ] || fail "mode"

n=$(ls "$NEW" | wc -l)
out=$(session far@remote.example RELAYCLIENT=)
echo "$out" | grep -q '^451 .*far@remote.example: remote delivery is not available yet (#4.3.0)$' ||
  fail "remote recipient: want 451 with the reason: $out"
# by default qmail-rcptcheck refuses the unknown user at RCPT ...
out=$(session nobody@ex.com)
echo "$out" | grep -q '^550 5.1.1 sorry, no mailbox here by that name (chkuser)$' ||
  fail "unknown user: want 550 at RCPT: $out"
# ... and with the check off, qmail-queue refuses it at DATA
out=$(session nobody@ex.com CHKUSER_START=NONE)
echo "$out" | grep -q '^554 .*nobody@ex.com: Sorry, no mailbox here by that name. (#5.1.1)$' ||
  fail "unknown user: want 554 with vpopmail's text: $out"
[ "$(ls "$NEW" | wc -l)" = "$n" ] || fail "a refused message was delivered"

# the queue helper unreachable: 451 at the end of DATA, nothing delivered
out=$(session bob@ex.com CHKUSER_START=NONE QMAILRCPTCHECK="$tmp/nonexistent")
echo "$out" | grep -q '^451 .*queue helper' || fail "unreachable helper: want 451: $out"
[ "$(ls "$NEW" | wc -l)" = "$n" ] || fail "delivered without a helper"

# msgs SIZE...: one session, one message of about SIZE bytes each, to
# bob; prints the "qp" of each 250 (the process that ran the queue step)
msgs() {
  python3 - "$@" <<'EOT'
import sys
out = ['EHLO client.example\r\n']
for i, size in enumerate(sys.argv[1:]):
    body = 'Subject: size %d\r\n\r\n' % i + ('%s\r\n' % ('m%d' % i).ljust(78, 'x')) * (int(size) // 80) + 'end %d\r\n.\r\n' % i
    out += ['MAIL FROM:<s@x.org>\r\n', 'RCPT TO:<bob@ex.com>\r\n', 'DATA\r\n', body]
out.append('QUIT\r\n')
sys.stdout.write(''.join(out))
EOT
}
qps() { tr -d '\r' | sed -n 's/^250 2.0.0 ok [0-9]* qp \([0-9]*\)$/\1/p' | tr '\n' ' '; }
n=$(ls "$NEW" | wc -l)
qp=$(msgs 4000 5000 1500000 6000 | env -u QMAILQUEUE TCPREMOTEIP=192.0.2.7 $RUN "$B/qmail-smtpd" 2>> "$tmp/log" | qps)
set -- $qp
[ $# = 4 ] || fail "four messages, want four 250s: $qp"
# 1, 2 and 4 by the session's helper, 3 (over 1 MB) by a qmail-queue
[ "$1" = "$2" ] && [ "$2" = "$4" ] || fail "small messages not queued by one helper: $qp"
[ "$3" != "$1" ] || fail "1.5 MB message not handed to qmail-queue: $qp"
[ "$(ls "$NEW" | wc -l)" = $((n + 4)) ] || fail "want four more files"
big=$(grep -l '^Subject: size 2$' "$NEW"/*) || fail "big message missing"
[ "$(grep -c '^m2x*$' "$big")" = 18750 ] && tail -n 1 "$big" | grep -qx 'end 2' ||
  fail "big message incomplete"
# QMAILQUEUE names the queue program: one process per message
qp=$(msgs 4000 4000 | env QMAILQUEUE="$QMAILDIR/bin/qmail-queue" TCPREMOTEIP=192.0.2.7 \
  $RUN "$B/qmail-smtpd" 2>> "$tmp/log" | qps)
set -- $qp
[ $# = 2 ] && [ "$1" != "$2" ] || fail "QMAILQUEUE: want two 250s from two processes: $qp"
[ "$(ls "$NEW" | wc -l)" = $((n + 6)) ] || fail "QMAILQUEUE: want two more files"

# the helper's queue records, straight over a socketpair
n=$(ls "$NEW" | wc -l)
# (the system's python3: a per-user one may not be readable by nobody)
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
$RUN $PY - "$B/qmail-rcptcheck" > "$tmp/direct" 2>> "$tmp/log" <<'EOT' || fail "direct queue records: $(cat "$tmp/direct")"
import os, socket, subprocess, sys
env = b'Fs@x.org\0Tbob@ex.com\0\0'
msg = b'Subject: direct\n\nhello\n'
def helper():
    a, b = socket.socketpair()
    p = subprocess.Popen([sys.argv[1]], stdin=b, stdout=b)
    b.close()
    a.settimeout(20)
    return a, p
def memfd(seal):
    fd = os.memfd_create('t', os.MFD_ALLOW_SEALING)
    os.write(fd, msg)
    if seal:
        import fcntl
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SHRINK)
    return fd
def qreq():
    return b'\0\5Q' + len(env).to_bytes(4, 'big') + env
def reply(a):
    h = b''
    while len(h) < 9:
        try:
            c = a.recv(9 - len(h))
        except ConnectionResetError:   # the helper exited with bytes unread
            return None
        if not c: return None
        h += c
    t = a.recv(int.from_bytes(h[7:9], 'big')) if h[7:9] != b'\0\0' else b''
    return h[1], h[2], t
# sealed: delivered, code 0
a, p = helper()
socket.send_fds(a, [qreq()], [memfd(True)])
r = reply(a)
assert r and r[0] == 0 and r[1] == 0, r
# not sealed: refused as an internal error (81), nothing delivered
socket.send_fds(a, [qreq()], [memfd(False)])
r = reply(a)
assert r and r[0] == 81, r
a.close(); assert p.wait() == 0
# a descriptor with a lookup record: fatal (100)
a, p = helper()
socket.send_fds(a, [b'\0\x0cA\0bob@ex.com'], [memfd(True)])
assert reply(a) is None and p.wait() == 100
# a queue record without a descriptor: fatal (100)
a, p = helper()
a.sendall(qreq())
assert reply(a) is None and p.wait() == 100
print('direct ok')
EOT
[ "$(ls "$NEW" | wc -l)" = $((n + 1)) ] || fail "direct: want exactly the sealed message delivered"
grep -q '^direct ok$' "$tmp/direct" || fail "direct: $(cat "$tmp/direct")"
echo "t-smtp-deliver: ok"
