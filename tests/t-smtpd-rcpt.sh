#!/bin/sh
# tests/t-smtpd-rcpt.sh — recipient validation at RCPT: qmail-newrcpt
# compiles users/rcpt.cdb from a sandbox made with the vtools, and
# qmail-smtpd (smtprcptcheck=1, unprivileged) refuses unknown users of
# checked domains only.
: "${QV_BUILD:?}"
B=$QV_BUILD/bin
T=$(mktemp -d) || exit 111
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
export QMAILDIR=$T VPOPMAILDIR=$T
fail=0
"$B/vadddomain" example.org secret > /dev/null || { echo "FAIL vadddomain"; exit 1; }
"$B/vadduser" joe@example.org pw > /dev/null || fail=1
"$B/valias" -i joe@example.org info@example.org > /dev/null || fail=1
"$B/vaddaliasdomain" alias.example example.org > /dev/null || fail=1
"$B/vadddomain" catch.example pw > /dev/null || fail=1
echo '| /bin/true everything@else.example' > "$T/domains/catch.example/.qmail-default"
echo '| /bin/true' > "$T/domains/example.org/.qmail-sales-default"
echo example.org > "$T/control/me"
printf 'example.org\nalias.example\ncatch.example\nother.example\n' > "$T/control/rcpthosts"
cat > "$T/qq" <<'EOQ'
#!/bin/sh
cat > /dev/null; cat <&1 > /dev/null
EOQ
chmod 755 "$T/qq"
RUN=
[ "$(id -u)" = 0 ] && RUN="setpriv --reuid=65534 --regid=65534 --clear-groups"
smtp() {
  env -i PATH="$PATH" QMAILDIR="$T" QMAILQUEUE="$T/qq" TCPREMOTEIP=192.0.2.7 "$@" \
    $RUN "$B/qmail-smtpd" 2>"$T/log"
}
check() {
  printf '%b' "$2" > "$T/want"
  if cmp -s "$T/want" "$3"; then echo "ok   $1"; else
    echo "FAIL $1"; cat -A "$3"; fail=1; fi
}
IN='MAIL FROM:<a@b>\r\nRCPT TO:<joe@example.org>\r\nRCPT TO:<JOE-ext@Example.ORG>\r\nRCPT TO:<info@example.org>\r\nRCPT TO:<sales-x@example.org>\r\nRCPT TO:<nobody@example.org>\r\nRCPT TO:<postmaster@alias.example>\r\nRCPT TO:<nobody@alias.example>\r\nRCPT TO:<nobody@catch.example>\r\nRCPT TO:<nobody@other.example>\r\n'
OK='250 ok\r\n'
NO='550 5.1.1 sorry, no mailbox here by that name (chkuser)\r\n'

# knob off: everything accepted (stock qmail)
"$B/qmail-newrcpt" || { echo "FAIL qmail-newrcpt"; fail=1; }
[ "$(stat -c %a "$T/users/rcpt.cdb")" = 644 ] && echo "ok   map-mode" || { echo "FAIL map-mode"; fail=1; }
grep -q '\$' "$T/users/rcpt.cdb" && { echo "FAIL map-holds-hash"; fail=1; }
printf "$IN" | smtp | sed 1d > "$T/r"
check knob-off "$OK$OK$OK$OK$OK$OK$OK$OK$OK$OK" "$T/r"
echo 1 > "$T/control/smtprcptcheck"
printf "$IN" | smtp | sed 1d > "$T/r"
check knob-on "$OK$OK$OK$OK$OK$NO$OK$NO$OK$OK" "$T/r"
# a new user is refused until the map is rebuilt; then accepted
"$B/vadduser" nobody@example.org pw > /dev/null || fail=1
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<nobody@example.org>\r\n' | smtp | sed 1,2d > "$T/r"
check stale-map "$NO" "$T/r"
"$B/qmail-newrcpt" || fail=1
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<nobody@example.org>\r\n' | smtp | sed 1,2d > "$T/r"
check rebuilt-map "$OK" "$T/r"
# RELAYCLIENT skips the check; a missing map accepts; a corrupt one is 451
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<ghost@example.org>\r\n' | smtp RELAYCLIENT= | sed 1,2d > "$T/r"
check relayclient "$OK" "$T/r"
echo garbage > "$T/users/rcpt.cdb"
printf 'EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<ghost@example.org>\r\n' | smtp | tail -n 1 > "$T/r"
check corrupt-map '451 4.3.0 system temporary unavailable, try again later (chkuser)\r\n' "$T/r"
rm "$T/users/rcpt.cdb"
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<ghost@example.org>\r\n' | smtp | sed 1,2d > "$T/r"
check no-map "$OK" "$T/r"
exit $fail
