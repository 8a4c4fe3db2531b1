#!/bin/sh
# End to end over pipes: qmail-smtpd hands the message to qvmail's
# qmail-queue, which delivers it; the SMTP reply follows qmail-queue's
# exit code (250 only when the file is in new/, 451 for a remote
# recipient, 554 for an undeliverable one).
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
echo "t-smtp-deliver: ok"
