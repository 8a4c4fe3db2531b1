#!/bin/sh
# tests/t-demo-submission.sh — issue 5's "Must show" for submission, on
# `make demo` itself: scripts/demo in a temp DEMO_DIR at a random port
# base, then swaks --tls with AUTH PLAIN / LOGIN / CRAM-MD5 against
# base+587 and swaks --tls-on-connect against base+465 (235 and 250 for
# DATA, the message delivered to the demo user with a Received line
# naming the user and ESMTPSA); on 587 AUTH before STARTTLS gets 538 and
# MAIL before AUTH 530; plaintext AUTH works from 127.0.0.2 only (the
# demo's tcp.submission rule). Skips without qvtls.
: "${QV_BUILD:?}" "${QV_SRC:?}"
. "$QV_SRC/tests/lib/sandbox.sh"
sandbox_init
sandbox_need swaks tcprules openssl python3
[ -x "$QV_BUILD/bin/qvtls" ] || { echo "ok   skipped (no qvtls)"; exit 0; }
sandbox_demo
grep -q "submission:$((BASE + 587))" "$tmp/demo.out" || fail "no submission service: $(grep Services "$tmp/demo.out")"
grep -q "smtps:$((BASE + 465))" "$tmp/demo.out" || fail "no smtps service: $(grep Services "$tmp/demo.out")"
sandbox_wait_port $((BASE + 587)) $((BASE + 465))
sandbox_maildir demo@example.test
NEW=$maildir/new
sw() { timeout 60 swaks --server 127.0.0.1 --timeout 30 --from demo@example.test --to demo@example.test "$@" 2>&1; }
delivered() {  # delivered ID: the message with X-Id ID names the user, ESMTPSA
  i=0
  while :; do
    f=$(grep -l "^X-Id: $1\$" "$NEW"/* 2>/dev/null | head -n 1)
    [ -n "$f" ] && break
    i=$((i + 1)); [ $i -lt 50 ] || fail "$1: not delivered"; sleep 0.1
  done
  grep -A1 '^Received: from .*(demo@example.test@127.0.0.1)' "$f" | grep -q ' with ESMTPSA (' ||
    fail "$1: Received: $(grep -A1 '^Received' "$f")"
}
for mech in PLAIN LOGIN CRAM-MD5; do
  out=$(sw --port $((BASE + 587)) --tls --auth $mech --auth-user demo@example.test --auth-password "$pw" \
    --header "X-Id: 587-$mech")
  echo "$out" | grep -q '^<~  235 ' || { echo "$out" | tail -n 20; fail "587 --tls $mech: no 235"; }
  echo "$out" | grep -q '^<~  250 2.0.0 ok ' || { echo "$out" | tail -n 20; fail "587 $mech: no 250 for DATA"; }
  delivered "587-$mech"
  out=$(sw --port $((BASE + 465)) --tls-on-connect --auth $mech --auth-user demo@example.test --auth-password "$pw" \
    --header "X-Id: 465-$mech")
  echo "$out" | grep -q '^<~  235 ' || { echo "$out" | tail -n 20; fail "465 --tlsc $mech: no 235"; }
  delivered "465-$mech"
  echo "ok   $mech on 587 (STARTTLS) and 465 (implicit TLS), delivered, Received names the user"
done
r=$(timeout 30 python3 -c '
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20)
s.ehlo("c.test")
print("auth" in s.esmtp_features, s.docmd("AUTH", "PLAIN AGRlbW9AZXhhbXBsZS50ZXN0AHg=")[0], s.docmd("MAIL", "FROM:<demo@example.test>")[0])
' $((BASE + 587))) || fail "python 587: $r"
[ "$r" = "False 538 530" ] || fail "587 before STARTTLS: $r"
echo "ok   587 before STARTTLS: no AUTH offered, 538, MAIL 530"
out=$(sw --port $((BASE + 587)) --local-interface 127.0.0.2 --auth PLAIN --auth-user demo@example.test \
  --auth-password "$pw" --header "X-Id: plain-127.0.0.2")
echo "$out" | grep -q '^<-  235 ' || { echo "$out" | tail -n 20; fail "127.0.0.2 plaintext AUTH: no 235"; }
echo "ok   plaintext AUTH from 127.0.0.2 (its FORCETLS=\"0\" rule)"
exit 0
