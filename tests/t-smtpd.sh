#!/bin/sh
# tests/t-smtpd.sh — qmail-smtpd transcripts over pipes with the UCSPI
# environment; QMAILQUEUE is a script that records message and envelope.
# Covers greeting, HELO/EHLO, MAIL/RCPT/DATA, relay control, SIZE and
# databytes, maxrcpt, badmailfrom forms, badrcptto, pipelining, bare
# LF/CR, the SMTP smuggling variants, BDAT, qmail-queue exit codes,
# line length, error limit and timeouts.
: "${QV_BUILD:?}"
T=$(mktemp -d) || exit 111
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
Q=$T/qmail
mkdir -p "$Q/control" "$Q/bin" "$T/out"
chmod 777 "$T/out"
echo mx.test > "$Q/control/me"
printf 'example.org\n.sub.example.net\n' > "$Q/control/rcpthosts"
cat > "$T/qq" <<EOQ
#!/bin/sh
n=\$(ls "$T/out" | grep -c '^msg') 
cat > "$T/out/msg\$n"
cat <&1 > "$T/out/env\$n"
[ -f "$T/qqerr" ] && { cat "$T/qqerr" >&6; exit 82; }
[ -f "$T/qqexit" ] && exit \$(cat "$T/qqexit")
exit 0
EOQ
chmod 755 "$T/qq"
RUN=
[ "$(id -u)" = 0 ] && RUN="setpriv --reuid=65534 --regid=65534 --clear-groups"

fail=0
smtp() {
  env -i PATH="$PATH" QMAILDIR="$Q" QMAILQUEUE="$T/qq" TCPREMOTEIP=192.0.2.7 \
    TCPREMOTEHOST=client.example TCPLOCALIP=192.0.2.1 TCPLOCALHOST=mx.test "$@" \
    $RUN "$QV_BUILD/bin/qmail-smtpd" 2>"$T/log"
}
# check NAME WANT FILE: FILE's bytes equal printf %b WANT
check() {
  printf '%b' "$2" > "$T/want"
  if cmp -s "$T/want" "$3"; then echo "ok   $1"; else
    echo "FAIL $1"; echo "  want:"; od -c "$T/want" | sed 's/^/    /' | head -20
    echo "  got:"; od -c "$3" | sed 's/^/    /' | head -20; fail=1; fi
}
reset() { rm -f "$T"/out/* "$T/qqexit" "$T/qqerr"; }
G='220 mx.test ESMTP\r\n'

# greeting, HELO (bare word), QUIT
reset
printf 'HELO bare\r\nQUIT\r\n' | smtp > "$T/r"
check helo "${G}250 mx.test\r\n221 mx.test\r\n" "$T/r"

# EHLO keywords and enhanced codes
echo 1000 > "$Q/control/databytes"
printf 'EHLO c.example\r\nNOOP\r\nQUIT\r\n' | smtp > "$T/r"
check ehlo "${G}250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 1000\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n250 2.0.0 ok\r\n221 2.0.0 mx.test\r\n" "$T/r"

# a message, pipelined in one write; envelope and stored bytes exact
reset
printf 'HELO bare\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.org>\r\nRCPT TO:<@r1,@r2:v@x.sub.example.net>\r\nDATA\r\nSubject: t\r\n\r\n..dot\r\nline\r\n.\r\nQUIT\r\n' | smtp > "$T/r"
sed 's/ok [0-9]* qp [0-9]*/ok T qp P/' "$T/r" > "$T/r2"
check data "${G}250 mx.test\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n250 ok T qp P\r\n221 mx.test\r\n" "$T/r2"
check data-env 'Fa@b.example\0Tu@example.org\0Tv@x.sub.example.net\0\0' "$T/out/env0"
sed 's/; [0-9]* [A-Z][a-z][a-z] [0-9]* [0-9:]* -0000$/; DATE/' "$T/out/msg0" > "$T/m"
check data-msg 'Received: from client.example (HELO bare) (192.0.2.7)\n  by mx.test with SMTP; DATE\nSubject: t\n\n.dot\nline\n' "$T/m"
grep -q '^  by mx.test with SMTP; [1-9][0-9]* [A-Z][a-z][a-z] 20[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] -0000$' "$T/out/msg0" \
  && echo "ok   received-date" || { echo "FAIL received-date"; fail=1; }

# no HELO: no "(HELO ...)"; TCPREMOTEINFO shown; null sender
reset
printf 'MAIL FROM:<>\r\nRCPT TO:<u@example.org>\r\nDATA\r\nx\r\n.\r\n' | smtp TCPREMOTEINFO=joe > /dev/null
head -n 1 "$T/out/msg0" > "$T/m"
check received-nohelo 'Received: from client.example (joe@192.0.2.7)\n' "$T/m"
check null-sender 'F\0Tu@example.org\0\0' "$T/out/env0"

# relay control
reset
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<u@elsewhere.example>\r\nRCPT TO:<u@sub.example.net>\r\nRCPT TO:<postmaster>\r\n' | smtp > "$T/r"
check relay-denied "${G}250 ok\r\n553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n250 ok\r\n" "$T/r"
printf 'EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<u@elsewhere.example>\r\n' | smtp | tail -n 1 > "$T/r"
check relay-denied-esmtp "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n" "$T/r"
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<u@elsewhere.example>\r\nDATA\r\nx\r\n.\r\n' | smtp RELAYCLIENT= > "$T/r"
check relayclient-env 'Fa@b\0Tu@elsewhere.example\0\0' "$T/out/env0"
reset
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<u@elsewhere.example>\r\nDATA\r\nx\r\n.\r\n' | smtp RELAYCLIENT=@fix.me > /dev/null
check relayclient-append 'Fa@b\0Tu@elsewhere.example@fix.me\0\0' "$T/out/env0"
mv "$Q/control/rcpthosts" "$T/rcpthosts"
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<u@example.org>\r\n' | smtp | tail -n 1 > "$T/r"
check no-rcpthosts "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n" "$T/r"
mv "$T/rcpthosts" "$Q/control/rcpthosts"
# localiphost: u@[192.0.2.1] becomes u@<localiphost>
echo example.org > "$Q/control/localiphost"
reset
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<u@[192.0.2.1]>\r\nDATA\r\nx\r\n.\r\n' | smtp > /dev/null
check localiphost 'Fa@b\0Tu@example.org\0\0' "$T/out/env0"
rm "$Q/control/localiphost"

# sequence errors, syntax, unknown verb
printf 'RCPT TO:<u@example.org>\r\nDATA\r\nMAIL FROM:<a@b>\r\nDATA\r\nMAIL FROM:<a\001b@c>\r\nFOO\r\nVRFY x\r\nRSET\r\n' | smtp > "$T/r"
check sequence "${G}503 MAIL first (#5.5.1)\r\n503 MAIL first (#5.5.1)\r\n250 ok\r\n503 RCPT first (#5.5.1)\r\n555 syntax error (#5.5.4)\r\n502 unimplemented (#5.5.1)\r\n252 send some mail, i'll try my best\r\n250 flushed\r\n" "$T/r"

# SIZE at MAIL, databytes at DATA (1000 bytes)
reset
body=$(head -c 1200 /dev/zero | tr '\0' x)
printf 'EHLO x\r\nMAIL FROM:<a@b> SIZE=1001\r\nMAIL FROM:<a@b> SIZE=1000 BODY=8BITMIME\r\nRCPT TO:<u@example.org>\r\nDATA\r\n%s\r\n.\r\nQUIT\r\n' "$body" | smtp | sed 1,8d > "$T/r"
check size "552 5.3.4 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go ahead\r\n552 5.3.4 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n221 2.0.0 mx.test\r\n" "$T/r"
[ -f "$T/out/env0" ] && [ -s "$T/out/env0" ] && { echo "FAIL databytes-not-queued"; fail=1; } || echo "ok   databytes-not-queued"
reset
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n%s\r\n.\r\n' "$body" | smtp DATABYTES=2000 | tail -n 1 | sed 's/ok [0-9]* qp [0-9]*/ok/' > "$T/r"
check databytes-env "250 ok\r\n" "$T/r"
rm "$Q/control/databytes"
printf 'EHLO x\r\nMAIL FROM:<a@b> SIZE=x\r\nMAIL FROM:<a@b> BODY=BINARYMIME\r\n' | smtp | sed 1,8d > "$T/r"
check size-syntax "555 5.5.4 syntax error (#5.5.4)\r\n555 5.5.4 syntax error (#5.5.4)\r\n" "$T/r"

# maxrcpt
echo 2 > "$Q/control/maxrcpt"
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\n' | smtp | tail -n 1 > "$T/r"
check maxrcpt "452 max rcpt limit exceeded (#4.5.3)\r\n" "$T/r"
rm "$Q/control/maxrcpt"

# badmailfrom: exact, @domain, .domain; badrcptto
printf 'spam@bad.example\n@evil.example\n.wild.example\n' > "$Q/control/badmailfrom"
printf 'nobody@example.org\n' > "$Q/control/badrcptto"
for f in spam@BAD.example x@evil.example x@a.wild.example ok@wild.example; do
  printf 'MAIL FROM:<%s>\r\nRCPT TO:<u@example.org>\r\nRCPT TO:<nobody@example.org>\r\n' "$f" | smtp | sed 1,2d > "$T/r"
  case $f in ok@*) w='250 ok\r\n' ;; *) w='553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)\r\n' ;; esac
  case $f in ok@*) r='553 sorry, your envelope recipient is in my badrcptto list (#5.7.1)\r\n' ;; *) r=$w ;; esac
  check "badmailfrom-$f" "$w$r" "$T/r"
done
rm "$Q/control/badmailfrom" "$Q/control/badrcptto"
echo bad > "$Q/control/badhelo"
printf 'HELO BAD\r\nMAIL FROM:<a@b>\r\nRCPT TO:<u@example.org>\r\nHELO good\r\nMAIL FROM:<a@b>\r\nRCPT TO:<u@example.org>\r\n' | smtp | sed 1d > "$T/r"
check badhelo "250 mx.test\r\n250 ok\r\n553 sorry, your HELO host name has been denied (#5.7.1)\r\n250 mx.test\r\n250 ok\r\n250 ok\r\n" "$T/r"
rm "$Q/control/badhelo"

# SMTPUTF8
printf 'EHLO x\r\nMAIL FROM:<\303\251@b>\r\nMAIL FROM:<\303\251@b> SMTPUTF8\r\nRCPT TO:<\303\251@example.org>\r\n' | smtp | sed 1,8d > "$T/r"
check smtputf8 "553 5.6.7 sorry, a non-ASCII address needs SMTPUTF8 (#5.6.7)\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n" "$T/r"

# bare LF and bare CR in DATA: 451 and disconnect, nothing queued
PRE='MAIL FROM:<a@b>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n'
W451="${G}250 ok\r\n250 ok\r\n354 go ahead\r\n451 See https://cr.yp.to/docs/smtplf.html.\r\n"
n=0
# the published smuggling variants: none ends data, none injects a message
for v in 'x\n.\r\n' 'x\r\n.\n' 'x\n.\n' 'x\r.\r\n' 'x\r\n.\r' 'x\r\n.\rX' 'x\n..\n' 'x\r\n\n.\r\n' 'a\nb'; do
  reset; n=$((n + 1))
  printf "$PRE$v"'MAIL FROM:<evil@x>\r\nRCPT TO:<v@example.org>\r\nDATA\r\nspoof\r\n.\r\nQUIT\r\n' | smtp > "$T/r"
  check "smuggle-$n" "$W451" "$T/r"
  [ -z "$(find "$T/out" -name 'env*' -size +0c)" ] && echo "ok   smuggle-$n-nothing-queued" || { echo "FAIL smuggle-$n-queued"; fail=1; }
done
# CRLF . CR with nothing after it: data is not over (EOF: silent exit)
reset
printf "$PRE"'x\r\n.\r' | smtp > "$T/r"
check smuggle-dotcr-eof "${G}250 ok\r\n250 ok\r\n354 go ahead\r\n" "$T/r"
# knob: bare LF accepted, normalised, never an end of data
reset
echo 1 > "$Q/control/smtpallowbarelf"
printf "$PRE"'a\nb\n.\nMAIL FROM:<evil@x>\r\n.\r\nQUIT\r\n' | smtp | sed 's/ok [0-9]* qp [0-9]*/ok/' > "$T/r"
check barelf-knob "${G}250 ok\r\n250 ok\r\n354 go ahead\r\n250 ok\r\n221 mx.test\r\n" "$T/r"
sed 1,2d "$T/out/msg0" > "$T/m"
check barelf-knob-msg 'a\nb\n.\nMAIL FROM:<evil@x>\n' "$T/m"
rm "$Q/control/smtpallowbarelf"
reset
printf "$PRE"'a\r\nb\n.\r\n.\r\n' | smtp ALLOW_BARELF=1 > /dev/null
[ -n "$(find "$T/out" -name 'env*' -size +0c)" ] && echo "ok   allow-barelf-env" || { echo "FAIL allow-barelf-env"; fail=1; }

# BDAT: chunks, pipelined, with CRLF split over chunks
reset
printf 'EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<u@example.org>\r\nBDAT 9\r\nS: x\r\n\r\nhBDAT 6 LAST\r\ni\r\n.\r\nQUIT\r\n' | smtp | sed 1,8d | sed 's/ok [0-9]* qp [0-9]*/ok/' > "$T/r"
check bdat "250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.0.0 ok\r\n250 2.0.0 ok\r\n221 2.0.0 mx.test\r\n" "$T/r"
sed 1,2d "$T/out/msg0" > "$T/m"
check bdat-msg 'S: x\n\nhi\n.\n' "$T/m"
check bdat-env 'Fa@b\0Tu@example.org\0\0' "$T/out/env0"
# BDAT refused before MAIL: the chunk is skipped, not read as commands
reset
printf 'BDAT 23\r\nMAIL FROM:<e@x>\r\nRSET\r\nNOOP\r\n' | smtp > "$T/r"
check bdat-refused "${G}503 MAIL first (#5.5.1)\r\n250 ok\r\n" "$T/r"
printf 'EHLO x\r\nBDAT x\r\nNOOP\r\n' | smtp | sed 1,8d > "$T/r"
check bdat-syntax "501 5.5.4 malformed BDAT, closing connection (#5.5.4)\r\n" "$T/r"
printf 'EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<u@example.org>\r\nBDAT 3\r\na\nbQUIT\r\n' | smtp | sed 1,10d > "$T/r"
check bdat-barelf "451 4.5.2 See https://cr.yp.to/docs/smtplf.html.\r\n" "$T/r"

# qmail-queue exit codes -> replies
for pair in '11:554 envelope address too long for qq (#5.1.3)' \
            '31:554 mail server permanently rejected message (#5.3.0)' \
            '12:554 qq permanent problem (#5.3.0)' \
            '53:451 qq write error or disk full (#4.3.0)' \
            '71:451 mail server temporarily rejected message (#4.3.0)' \
            '81:451 qq internal bug (#4.3.0)' \
            '99:451 qq temporary problem (#4.3.0)'; do
  reset
  echo "${pair%%:*}" > "$T/qqexit"
  printf "$PRE"'x\r\n.\r\n' | smtp | tail -n 1 > "$T/r"
  check "qq-${pair%%:*}" "${pair#*:}\r\n" "$T/r"
done
reset
echo 71 > "$T/qqexit"
printf 'EHLO x\r\n'"$PRE"'x\r\n.\r\n' | smtp | tail -n 1 > "$T/r"
check qq-71-esmtp "451 4.3.0 mail server temporarily rejected message (#4.3.0)\r\n" "$T/r"
# custom error: "D<text>"/"Z<text>" on fd 6 and exit 82
reset
printf 'Dvirus found (#5.7.1)' > "$T/qqerr"
printf 'EHLO x\r\n'"$PRE"'x\r\n.\r\n' | smtp | tail -n 1 > "$T/r"
check qq-82-D "554 5.7.1 virus found (#5.7.1)\r\n" "$T/r"
reset
printf 'Ztry later\nX' > "$T/qqerr"
printf "$PRE"'x\r\n.\r\n' | smtp | tail -n 1 > "$T/r"
check qq-82-Z "451 try later\r\n" "$T/r"
reset
printf 'junk' > "$T/qqerr"
printf "$PRE"'x\r\n.\r\n' | smtp | tail -n 1 > "$T/r"
check qq-82-junk "451 qq temporary problem (#4.3.0)\r\n" "$T/r"
reset
printf "$PRE"'x\r\n.\r\n' | smtp QMAILQUEUE="$T/nonexistent" | tail -n 1 > "$T/r"
check qq-exec "451 unable to exec qq (#4.3.0)\r\n" "$T/r"

# hop count
reset
{ printf "$PRE"; i=0; while [ $i -lt 100 ]; do printf 'Received: x\r\n'; i=$((i + 1)); done; printf '\r\nb\r\n.\r\n'; } | smtp | tail -n 1 > "$T/r"
check hops "554 too many hops, this message is looping (#5.4.6)\r\n" "$T/r"
echo 3 > "$Q/control/smtpmaxhops"
printf "$PRE"'Received: 1\r\nDelivered-To: 2\r\n\r\nx\r\n.\r\n' | smtp | tail -n 1 | sed 's/ok [0-9]* qp [0-9]*/ok/' > "$T/r"
check hops-knob-under "250 ok\r\n" "$T/r"
printf "$PRE"'Received: 1\r\nDelivered-To: 2\r\nreceived: 3\r\n\r\nx\r\n.\r\n' | smtp | tail -n 1 > "$T/r"
check hops-knob "554 too many hops, this message is looping (#5.4.6)\r\n" "$T/r"
rm "$Q/control/smtpmaxhops"

# BDAT over databytes; HELO equal to TCPREMOTEHOST: no "(HELO ...)"
echo 5 > "$Q/control/databytes"
reset
printf 'EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<u@example.org>\r\nBDAT 4\r\n1234BDAT 4 LAST\r\n5678NOOP\r\n' | smtp | sed 1,10d > "$T/r"
check bdat-databytes "250 2.0.0 ok\r\n552 5.3.4 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n250 2.0.0 ok\r\n" "$T/r"
[ -z "$(find "$T/out" -name 'env*' -size +0c)" ] && echo "ok   bdat-databytes-not-queued" || { echo "FAIL bdat-databytes-queued"; fail=1; }
rm "$Q/control/databytes"
reset
printf 'HELO CLIENT.example\r\n'"$PRE"'x\r\n.\r\n' | smtp > /dev/null
head -n 1 "$T/out/msg0" > "$T/m"
check received-samehelo 'Received: from client.example (192.0.2.7)\n' "$T/m"

# line length: 512 with CRLF accepted, 513 refused; error limit
l510=$(head -c 505 /dev/zero | tr '\0' a)
printf 'NOOP %s\r\nNOOP %sb\r\nNOOP\r\n' "$l510" "$l510" | smtp > "$T/r"
check linemax "${G}250 ok\r\n500 line too long (#5.5.2)\r\n250 ok\r\n" "$T/r"
echo 3 > "$Q/control/smtpmaxerrors"
printf 'A\r\nB\r\nC\r\nNOOP\r\n' | smtp > "$T/r"
check maxerrors "${G}502 unimplemented (#5.5.1)\r\n502 unimplemented (#5.5.1)\r\n502 unimplemented (#5.5.1)\r\n421 too many errors, closing connection (#4.7.0)\r\n" "$T/r"
rm "$Q/control/smtpmaxerrors"

# timeout
echo 1 > "$Q/control/timeoutsmtpd"
{ printf 'HELO x\r\n'; sleep 3; printf 'NOOP\r\n'; } | smtp > "$T/r"
check timeout "${G}250 mx.test\r\n451 timeout (#4.4.2)\r\n" "$T/r"
rm "$Q/control/timeoutsmtpd"

# smtpgreeting; missing me and smtpgreeting: 421
echo 'mx.test hello' > "$Q/control/smtpgreeting"
printf 'QUIT\r\n' | smtp > "$T/r"
check smtpgreeting '220 mx.test hello ESMTP\r\n221 mx.test hello\r\n' "$T/r"
rm "$Q/control/smtpgreeting" "$Q/control/me"
printf 'QUIT\r\n' | smtp > "$T/r"
check no-me '421 unable to read controls (#4.3.0)\r\n' "$T/r"
echo mx.test > "$Q/control/me"

# refuses to run as root
if [ "$(id -u)" = 0 ]; then
  RUN= ; printf 'QUIT\r\n' | smtp > "$T/r"
  check root '421 refusing to run as root (#4.3.0)\r\n' "$T/r"
fi
exit $fail
