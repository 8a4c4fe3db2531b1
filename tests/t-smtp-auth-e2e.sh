#!/bin/sh
# tests/t-smtp-auth-e2e.sh — SMTP AUTH end to end: a sandbox made with
# make setup, vadddomain, vadduser (control/clearpasswords on, so
# CRAM-MD5 works) and vaddaliasdomain; qvtcpserver runs qmail-smtpd with
# the real vchkpw as a submission service (SMTPAUTH="!+cram") with a
# tcprules file that sets FORCETLS="0" for 127.0.0.1 only. swaks and
# python3's smtplib check: AUTH PLAIN / LOGIN / CRAM-MD5 (235, relaying,
# Received naming the user with ESMTPA), 530 before AUTH, 535 after the
# delay for a wrong password, 421 and close at the third failure,
# 127.0.0.9 gets no AUTH offer and 538 (the per-network rule),
# FORCEAUTHMAILFROM (own address and alias domain pass, others 503),
# and one vchkpw auth-fail log line per failure. Then through qvtls:
# STARTTLS (587: no AUTH offer and 538 before it, swaks --tls with PLAIN,
# LOGIN, CRAM-MD5 after it, Received ESMTPSA; an AUTH made before
# STARTTLS is forgotten) and implicit TLS (465: swaks --tls-on-connect).
: "${QV_BUILD:?}" "${QV_SRC:?}"
. "$QV_SRC/tests/lib/sandbox.sh"
sandbox_init
L=setup
sandbox_need swaks tcprules python3
sandbox_setup
sandbox_control me localhost clearpasswords 1
sandbox_domain example.test bob secret
"$V/bin/vaddaliasdomain" alias.test example.test > /dev/null 2>&1 ||
  "$V/bin/vaddaliasdomain" example.test alias.test > /dev/null || fail vaddaliasdomain
sandbox_rules "$V/etc/tcp.submission" '127.0.0.1:allow,FORCETLS="0"' ':allow'
sandbox_qq
sandbox_own

# start [VAR=value...]: the submission service on a kernel-chosen port
# ($rules: the tcprules file; $tls: a qvtls command in front of
# qmail-smtpd, which then takes the -u/-g ids instead of the launcher)
rules="$V/etc/tcp.submission.cdb" tls=
start() {
  if [ -n "$tls" ]; then chain="$tls $ugid"; lu=; else chain=; lu=$ugid; fi
  sandbox_serve smtpd env SMTPAUTH='!+cram' QMAILQUEUE="$tmp/qq" "$@" "$Q/bin/qvtcpserver" -1 -x "$rules" $lu \
    127.0.0.1 0 $chain "$Q/bin/qmail-smtpd" "$V/bin/vchkpw" /bin/true
}
sw() { timeout 60 swaks --server 127.0.0.1 --port "$port" --timeout 30 "$@" 2>&1; }
expect() {  # expect FIXED-STRING OUTPUT WHAT
  echo "$2" | grep -qF -- "$1" || { echo "$2" | tail -n 25; fail "$3: no '$1'"; }
}

L=auth
start
for mech in PLAIN LOGIN CRAM-MD5; do
  rm -f "$tmp"/out/*
  out=$(sw --from bob@example.test --to x@remote.example --auth $mech --auth-user bob@example.test \
    --auth-password secret --header "X-Mech: $mech")
  expect "250-AUTH LOGIN PLAIN CRAM-MD5" "$out" "$mech EHLO"
  expect "<-  235 2.0.0 ok, go ahead (#2.0.0)" "$out" "$mech"
  expect "<-  250 2.0.0 ok " "$out" "$mech DATA"
  grep -q "^X-Mech: $mech" "$tmp/out/msg0" 2>/dev/null || fail "$mech: message not queued"
  head -n 2 "$tmp/out/msg0" | tr '\n' ' ' | grep -q '^Received: from [^ ]* (HELO [^)]*) (bob@example.test@127.0.0.1)   by [^ ]* with ESMTPA; ' ||
    fail "$mech: Received: $(head -n 2 "$tmp/out/msg0")"
  printf 'Fbob@example.test\0Tx@remote.example\0\0' | cmp -s - "$tmp/out/env0" || fail "$mech: envelope"
  ok "$mech: 235, relayed, Received names the user"
done
grep -q "qmail-smtpd: info: auth-ok ip=127.0.0.1 user=bob@example.test mech=CRAM-MD5" "$tmp/log.smtpd" ||
  fail "no auth-ok line for CRAM-MD5"
out=$(sw --from bob@example.test --to x@remote.example)
expect "<** 530 5.7.1 Authorization required (#5.7.1)" "$out" "MAIL before AUTH"
ok "530 before AUTH"
n0=$(grep -c 'vchkpw: warn: auth-fail' "$tmp/log.smtpd")
t0=$(date +%s)
out=$(sw --from bob@example.test --to x@remote.example --auth PLAIN --auth-user bob@example.test --auth-password wrong)
t1=$(date +%s)
expect "<** 535 5.7.1 authentication failed (#5.7.1)" "$out" "wrong password"
[ $((t1 - t0)) -ge 2 ] || fail "535 came without the delay ($((t1 - t0)) s)"
n1=$(grep -c 'vchkpw: warn: auth-fail' "$tmp/log.smtpd")
[ $((n1 - n0)) = 1 ] || fail "$((n1 - n0)) vchkpw auth-fail lines for one failure"
grep -q 'vchkpw: warn: auth-fail service=smtp ip=127.0.0.1 user=bob@example.test reason=wrong-password' "$tmp/log.smtpd" ||
  fail "vchkpw's auth-fail line"
grep 'qmail-smtpd' "$tmp/log.smtpd" | grep -q 'fail' && fail "qmail-smtpd logged a second failure line"
grep -q 'wrong' "$tmp/log.smtpd" && ! grep -q 'reason=wrong-password' "$tmp/log.smtpd" && fail "password in the log"
ok "535 after $((t1 - t0)) s, one auth-fail line"

# three failures: 421 and the connection closes
cat > "$tmp/fails.py" <<'EOT'
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=60)
s.ehlo('c.test')
codes = []
for i in range(4):
    try:
        code, _ = s.docmd('AUTH', 'PLAIN AGJvYkBleGFtcGxlLnRlc3QAbm9wZQ==')
    except smtplib.SMTPServerDisconnected:
        codes.append('closed'); break
    codes.append(str(code))
    if code == 421:
        try:
            s.docmd('NOOP'); codes.append('open')
        except smtplib.SMTPServerDisconnected:
            codes.append('closed')
        break
print(' '.join(codes))
EOT
r=$(timeout 90 python3 "$tmp/fails.py" "$port") || fail "fails.py: $r"
# 421 follows the third 535 in the same write: smtplib reads 535 535 535 then 421
[ "$r" = "535 535 535 421 closed" ] || fail "three failures: $r"
ok "535 535 535, 421, closed"
sandbox_stop

# the per-network rule: 127.0.0.9 has no FORCETLS="0"
L=forcetls
start
out=$(sw --local-interface 127.0.0.9 --from bob@example.test --to x@remote.example --quit-after ehlo)
echo "$out" | grep -q 'AUTH' && fail "AUTH offered to 127.0.0.9 without TLS"
# swaks refuses to AUTH when it is not offered; ask anyway with python
r=$(timeout 30 python3 -c '
import smtplib, sys
s = smtplib.SMTP(timeout=30, source_address=("127.0.0.9", 0))
s.connect("127.0.0.1", int(sys.argv[1]))
s.ehlo("c.test")
print(s.docmd("AUTH", "PLAIN AGJvYkBleGFtcGxlLnRlc3QAc2VjcmV0")[0], s.docmd("MAIL", "FROM:<bob@example.test>")[0])
' "$port") || fail "python from 127.0.0.9: $r"
[ "$r" = "538 530" ] || fail "127.0.0.9: $r"
ok "127.0.0.9: no AUTH offered, 538, then 530; 127.0.0.1: plaintext AUTH allowed"
sandbox_stop

L=forceauthmailfrom
start FORCEAUTHMAILFROM=1
au="--auth PLAIN --auth-user bob@example.test --auth-password secret"
out=$(sw --from other@example.test --to x@remote.example $au)
expect "<** 503 5.5.1 from and auth not the same (#5.5.1)" "$out" "other sender"
out=$(sw --from bob@alias.test --to x@remote.example $au)
expect "<-  250 2.0.0 ok " "$out" "alias-domain sender"
out=$(sw --from bob@example.test --to x@remote.example $au)
expect "<-  250 2.0.0 ok " "$out" "own sender"
ok "own address and alias domain pass, others 503"
sandbox_stop

# TLS through qvtls: STARTTLS (587) and implicit TLS (465), no plaintext
# AUTH from anywhere (the rules file sets no FORCETLS)
L=tls
if [ ! -x "$Q/bin/qvtls" ]; then
  echo "ok   $L: skipped (no qvtls)"
  exit 0
fi
sandbox_need openssl
sandbox_cert
sandbox_rules "$V/etc/tcp.tls" ':allow'
rules="$V/etc/tcp.tls.cdb"
tls="$Q/bin/qvtls -d $TLS"
start
r=$(timeout 60 python3 -c '
import smtplib, ssl, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30)
s.ehlo("c.test")
before = "auth" in s.esmtp_features
a = s.docmd("AUTH", "PLAIN AGJvYkBleGFtcGxlLnRlc3QAc2VjcmV0")[0]
s.starttls(context=ssl._create_unverified_context())
s.ehlo("c.test")
print(before, a, s.esmtp_features.get("auth"), s.docmd("AUTH", "PLAIN AGJvYkBleGFtcGxlLnRlc3QAc2VjcmV0")[0])
' "$port") || fail "python STARTTLS: $r"
[ "$r" = "False 538  LOGIN PLAIN CRAM-MD5 235" ] || fail "STARTTLS then AUTH: $r"
ok "587: no AUTH and 538 before STARTTLS, AUTH offered and 235 after"
for mech in PLAIN LOGIN CRAM-MD5; do
  rm -f "$tmp"/out/*
  out=$(sw --tls --from bob@example.test --to x@remote.example --auth $mech --auth-user bob@example.test \
    --auth-password secret)
  expect "<~  235 2.0.0 ok, go ahead (#2.0.0)" "$out" "STARTTLS $mech"
  expect "<~  250 2.0.0 ok " "$out" "STARTTLS $mech DATA"
  sed -n 2p "$tmp/out/msg0" | grep -q ' with ESMTPSA (TLS_[A-Z0-9_]* encrypted, authenticated); ' ||
    fail "STARTTLS $mech: Received: $(head -n 2 "$tmp/out/msg0")"
done
ok "587 --tls: PLAIN, LOGIN, CRAM-MD5; Received ESMTPSA"
sandbox_stop
# STARTTLS forgets an AUTH made before it (RFC 3207 4.2)
start FORCETLS=0
r=$(timeout 60 python3 -c '
import smtplib, ssl, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30)
s.ehlo("c.test")
a = s.docmd("AUTH", "PLAIN AGJvYkBleGFtcGxlLnRlc3QAc2VjcmV0")[0]
s.starttls(context=ssl._create_unverified_context())
s.ehlo("c.test")
print(a, s.docmd("MAIL", "FROM:<bob@example.test>")[0])
' "$port") || fail "python AUTH then STARTTLS: $r"
[ "$r" = "235 530" ] || fail "AUTH, STARTTLS, MAIL: $r"
ok "AUTH before STARTTLS is forgotten: 530 after it"
sandbox_stop
tls="$Q/bin/qvtls -i -d $TLS"
start
for mech in PLAIN LOGIN CRAM-MD5; do
  rm -f "$tmp"/out/*
  out=$(sw --tls-on-connect --from bob@example.test --to x@remote.example --auth $mech --auth-user bob@example.test \
    --auth-password secret)
  expect "<~  250-AUTH LOGIN PLAIN CRAM-MD5" "$out" "implicit TLS $mech EHLO"
  expect "<~  235 2.0.0 ok, go ahead (#2.0.0)" "$out" "implicit TLS $mech"
  expect "<~  250 2.0.0 ok " "$out" "implicit TLS $mech DATA"
  head -n 2 "$tmp/out/msg0" | tr '\n' ' ' | grep -q '(bob@example.test@127.0.0.1) .* with ESMTPSA (' ||
    fail "implicit TLS $mech: Received: $(head -n 2 "$tmp/out/msg0")"
done
ok "465 --tls-on-connect: PLAIN, LOGIN, CRAM-MD5; Received ESMTPSA"
sandbox_stop
exit 0
