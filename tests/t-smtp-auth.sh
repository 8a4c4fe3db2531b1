#!/bin/sh
# tests/t-smtp-auth.sh — SMTP AUTH in qmail-smtpd.
#
# Part 1: transcripts over pipes with a stand-in checkpassword program
# (records what it got on fd 3): every reply of the smtp-auth patch
# (235 535 538 530 503 504 501 454 421), SMTPAUTH's forms, FORCETLS,
# PLAIN / LOGIN with and without initial response, "*" cancel, fd 3's
# two or three fields, relaying after AUTH, AUTH surviving RSET, the
# Received line and the variables qmail-queue gets, MAIL AUTH=,
# FORCEAUTHMAILFROM with an alias domain, the failure delay and
# control/authfailmax.
: "${QV_BUILD:?}" "${QV_SRC:?}"
T=$(mktemp -d) || exit 111
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
Q=$T/qmail
mkdir -p "$Q/control" "$Q/users" "$T/out"
chmod 777 "$T/out"
echo mx.test > "$Q/control/me"
printf 'example.test\nalias.test\n' > "$Q/control/rcpthosts"
# users/cdb: alias.test is an alias domain of example.test
printf '+example.test-:example.test:1:1:/nonexistent:-::\n+alias.test-:example.test:1:1:/nonexistent:-::\n.\n' \
  > "$Q/users/assign"
QMAILDIR=$Q "$QV_BUILD/bin/qmail-newu" || { echo "FAIL qmail-newu"; exit 1; }
chmod -R a+rX "$Q"
cat > "$T/qq" <<EOQ
#!/bin/sh
n=\$(ls "$T/out" | grep -c '^msg')
cat > "$T/out/msg\$n"
cat <&1 > "$T/out/env\$n"
env > "$T/out/qqenv\$n"
exit 0
EOQ
# the stand-in checkpassword: bob@example.test / secret; "temp" -> 111
cat > "$T/cpw" <<EOC
#!/bin/sh
cat <&3 > "$T/out/fd3"
u=\$(tr '\0' '\n' < "$T/out/fd3" | sed -n 1p)
p=\$(tr '\0' '\n' < "$T/out/fd3" | sed -n 2p)
[ "\$u" = temp ] && exit 111
[ "\$u" = crash ] && kill -9 \$\$
case "\$u" in bob@example.test|bob) [ "\$p" = secret ] && exec "\$@" ;; esac
exit 1
EOC
chmod 755 "$T/qq" "$T/cpw"
RUN=
[ "$(id -u)" = 0 ] && RUN="setpriv --reuid=65534 --regid=65534 --clear-groups"

fail=0
# smtp [VAR=value...]: qmail-smtpd with the stand-in checkpassword
smtp() {
  env -i PATH="$PATH" QMAILDIR="$Q" VPOPMAILDIR="$T/v" QMAILQUEUE="$T/qq" TCPREMOTEIP=192.0.2.7 \
    TCPREMOTEHOST=client.example TCPLOCALIP=192.0.2.1 TCPLOCALHOST=mx.test \
    CHKUSER_START=NONE "$@" \
    $RUN "$QV_BUILD/bin/qmail-smtpd" "$T/cpw" /bin/true 2>"$T/log"
}
smtp_noargv() {
  env -i PATH="$PATH" QMAILDIR="$Q" VPOPMAILDIR="$T/v" QMAILQUEUE="$T/qq" TCPREMOTEIP=192.0.2.7 \
    TCPREMOTEHOST=client.example TCPLOCALHOST=mx.test CHKUSER_START=NONE "$@" \
    $RUN "$QV_BUILD/bin/qmail-smtpd" 2>"$T/log"
}
check() {
  printf '%b' "$2" > "$T/want"
  if cmp -s "$T/want" "$3"; then echo "ok   $1"; else
    echo "FAIL $1"; echo "  want:"; sed 's/^/    /' "$T/want" | head -30
    echo "  got:"; sed 's/^/    /' "$3" | head -30; fail=1; fi
}
has() {  # has NAME FILE FIXED-STRING
  if grep -qF -- "$3" "$2"; then echo "ok   $1"; else echo "FAIL $1: no '$3' in:"; sed 's/^/    /' "$2" | head -20; fail=1; fi
}
hasnt() {
  if grep -qF -- "$3" "$2"; then echo "FAIL $1: '$3' in:"; sed 's/^/    /' "$2" | head -20; fail=1; else echo "ok   $1"; fi
}
reset() { rm -f "$T"/out/*; }
G='220 mx.test ESMTP\r\n'
E='250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 0\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n'
PLAIN=AGJvYkBleGFtcGxlLnRlc3QAc2VjcmV0     # \0bob@example.test\0secret
BADPW=AGJvYkBleGFtcGxlLnRlc3QAd3Jvbmc=     # \0bob@example.test\0wrong

# --- SMTPAUTH forms in EHLO; off without argv, "-", "0", unset
printf 'EHLO c\r\nQUIT\r\n' | smtp SMTPAUTH= FORCETLS=0 > "$T/r"
check ehlo-auth "${G}${E}250-AUTH LOGIN PLAIN\r\n250 CHUNKING\r\n221 2.0.0 mx.test\r\n" "$T/r"
printf 'EHLO c\r\nQUIT\r\n' | smtp SMTPAUTH=+cram FORCETLS=0 | grep AUTH > "$T/r"
check ehlo-pluscram '250-AUTH LOGIN PLAIN CRAM-MD5\r\n' "$T/r"
printf 'EHLO c\r\nQUIT\r\n' | smtp SMTPAUTH=CRAM FORCETLS=0 | grep AUTH > "$T/r"
check ehlo-cram '250-AUTH CRAM-MD5\r\n' "$T/r"
printf 'EHLO c\r\nQUIT\r\n' | smtp SMTPAUTH='!+cram' FORCETLS=0 | grep AUTH > "$T/r"
check ehlo-required-cram '250-AUTH LOGIN PLAIN CRAM-MD5\r\n' "$T/r"
for v in - 0 unset noargv; do
  case $v in
    unset) printf 'EHLO c\r\nAUTH PLAIN %s\r\n' $PLAIN | smtp FORCETLS=0 ;;
    noargv) printf 'EHLO c\r\nAUTH PLAIN %s\r\n' $PLAIN | smtp_noargv SMTPAUTH= FORCETLS=0 ;;
    *) printf 'EHLO c\r\nAUTH PLAIN %s\r\n' $PLAIN | smtp SMTPAUTH=$v FORCETLS=0 ;;
  esac > "$T/r"
  hasnt "auth-off-$v-ehlo" "$T/r" "AUTH"
  has "auth-off-$v-503" "$T/r" "503 5.3.3 auth not available (#5.3.3)"
done

# --- FORCETLS: default on (no AUTH offered, 538), "0" off, "1" on
printf 'EHLO c\r\nAUTH PLAIN %s\r\nQUIT\r\n' $PLAIN | smtp SMTPAUTH= > "$T/r"
check forcetls-default "${G}${E}250 CHUNKING\r\n538 5.3.3 auth not available without TLS (#5.3.3)\r\n221 2.0.0 mx.test\r\n" "$T/r"
has forcetls-log "$T/log" "qmail-smtpd: info: auth-without-tls ip=192.0.2.7"
printf 'EHLO c\r\nAUTH LOGIN\r\n' | smtp SMTPAUTH= FORCETLS=1 | tail -n 1 > "$T/r"
check forcetls-1 '538 5.3.3 auth not available without TLS (#5.3.3)\r\n' "$T/r"
printf 'EHLO c\r\nAUTH PLAIN %s\r\n' $PLAIN | smtp SMTPAUTH= FORCETLS=1 SSL_PROTOCOL=TLSv1.3 SSL_CIPHER=TLS_AES_256_GCM_SHA384 > "$T/r"
has forcetls-inside-tls-ehlo "$T/r" "250-AUTH LOGIN PLAIN"
has forcetls-inside-tls-235 "$T/r" "235 2.0.0 ok, go ahead (#2.0.0)"

# --- PLAIN with initial response; relaying; AUTH survives RSET; Received; env
reset
printf 'EHLO c\r\nAUTH PLAIN %s\r\nRSET\r\nMAIL FROM:<bob@example.test>\r\nRCPT TO:<x@remote.example>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n' $PLAIN |
  smtp SMTPAUTH= FORCETLS=0 | sed 's/ok [0-9]* qp [0-9]*/ok T qp P/' > "$T/r"
check plain-relay "${G}${E}250-AUTH LOGIN PLAIN\r\n250 CHUNKING\r\n235 2.0.0 ok, go ahead (#2.0.0)\r\n250 2.0.0 flushed\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go ahead\r\n250 2.0.0 ok T qp P\r\n221 2.0.0 mx.test\r\n" "$T/r"
check plain-fd3-two-fields 'bob@example.test\0secret\0' "$T/out/fd3"
check plain-env 'Fbob@example.test\0Tx@remote.example\0\0' "$T/out/env0"
sed -n 1,2p "$T/out/msg0" | sed 's/; [0-9]* [A-Z][a-z][a-z] [0-9]* [0-9:]* -0000$/; DATE/' > "$T/m"
check received-esmtpa 'Received: from client.example (HELO c) (bob@example.test@192.0.2.7)\n  by mx.test with ESMTPA; DATE\n' "$T/m"
has qq-smtpauthuser "$T/out/qqenv0" "SMTPAUTHUSER=bob@example.test"
has qq-smtp_auth_user "$T/out/qqenv0" "SMTP_AUTH_USER=bob@example.test"
has qq-smtpauthmethod "$T/out/qqenv0" "SMTPAUTHMETHOD=PLAIN"
has qq-tcpremoteinfo "$T/out/qqenv0" "TCPREMOTEINFO=bob@example.test"
has auth-ok-log "$T/log" "qmail-smtpd: info: auth-ok ip=192.0.2.7 user=bob@example.test mech=PLAIN"
hasnt no-secret-in-log "$T/log" "secret"
# Received inside TLS and authenticated
reset
printf 'EHLO c\r\nAUTH PLAIN %s\r\nMAIL FROM:<bob@example.test>\r\nRCPT TO:<x@remote.example>\r\nDATA\r\nhi\r\n.\r\n' $PLAIN |
  smtp SMTPAUTH= SSL_PROTOCOL=TLSv1.3 SSL_CIPHER=TLS_AES_256_GCM_SHA384 > /dev/null
sed -n 2p "$T/out/msg0" | sed 's/; .*/;/' > "$T/m"
check received-esmtpsa '  by mx.test with ESMTPSA (TLS_AES_256_GCM_SHA384 encrypted, authenticated);\n' "$T/m"

# --- relaying refused without AUTH
printf 'EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@remote.example>\r\n' | smtp SMTPAUTH= FORCETLS=0 | tail -n 1 > "$T/r"
check no-auth-no-relay "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n" "$T/r"

# --- PLAIN with the empty challenge; LOGIN both ways; cancel; malformed
printf 'EHLO c\r\nAUTH PLAIN\r\n%s\r\n' $PLAIN | smtp SMTPAUTH= FORCETLS=0 | tail -n 2 > "$T/r"
check plain-challenge '334 \r\n235 2.0.0 ok, go ahead (#2.0.0)\r\n' "$T/r"
printf 'EHLO c\r\nAUTH LOGIN\r\nYm9iQGV4YW1wbGUudGVzdA==\r\nc2VjcmV0\r\n' | smtp SMTPAUTH= FORCETLS=0 | tail -n 3 > "$T/r"
check login '334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.0.0 ok, go ahead (#2.0.0)\r\n' "$T/r"
printf 'EHLO c\r\nauth login Ym9iQGV4YW1wbGUudGVzdA==\r\nc2VjcmV0\r\n' | smtp SMTPAUTH=+cram FORCETLS=0 | tail -n 2 > "$T/r"
check login-initial '334 UGFzc3dvcmQ6\r\n235 2.0.0 ok, go ahead (#2.0.0)\r\n' "$T/r"
check login-fd3-three-fields 'bob@example.test\0secret\0\0' "$T/out/fd3"
printf 'EHLO c\r\nAUTH LOGIN\r\n*\r\nAUTH PLAIN\r\n*\r\n' | smtp SMTPAUTH= FORCETLS=0 | tail -n 4 > "$T/r"
check cancel '334 VXNlcm5hbWU6\r\n501 5.0.0 auth exchange canceled (#5.0.0)\r\n334 \r\n501 5.0.0 auth exchange canceled (#5.0.0)\r\n' "$T/r"
printf 'EHLO c\r\nAUTH PLAIN !!!\r\nAUTH LOGIN\r\n=\r\nAUTH PLAIN AGJvYgA=\r\nAUTH CRAM-MD5 eA==\r\n' | smtp SMTPAUTH=+cram FORCETLS=0 | tail -n 5 > "$T/r"
check malformed '501 5.5.4 malformed auth input (#5.5.4)\r\n334 VXNlcm5hbWU6\r\n501 5.5.4 malformed auth input (#5.5.4)\r\n501 5.5.4 malformed auth input (#5.5.4)\r\n501 5.5.4 malformed auth input (#5.5.4)\r\n' "$T/r"
printf 'EHLO c\r\nAUTH DIGEST-MD5\r\nAUTH\r\nAUTH CRAM-MD5\r\n' | smtp SMTPAUTH= FORCETLS=0 | tail -n 3 > "$T/r"
check unknown-mech '504 5.5.1 auth type unimplemented (#5.5.1)\r\n504 5.5.1 auth type unimplemented (#5.5.1)\r\n504 5.5.1 auth type unimplemented (#5.5.1)\r\n' "$T/r"
# a SASL line longer than the command limit is read whole (RFC 4954: 12288)
long=$(head -c 3000 /dev/zero | tr '\0' 'A')
printf 'EHLO c\r\nAUTH PLAIN\r\n%s\r\nNOOP\r\n' "$long" | smtp SMTPAUTH= FORCETLS=0 | tail -n 2 > "$T/r"
check long-sasl-line '501 5.5.4 malformed auth input (#5.5.4)\r\n250 2.0.0 ok\r\n' "$T/r"

# the AUTH line itself may be long (an initial response of 2.7 KB); other
# commands keep the 512-byte limit
longir=$( (head -c 2000 /dev/zero | tr '\0' 'x'; printf '\0bob@example.test\0secret') | base64 -w0)
longnoop="NOOP $(head -c 600 /dev/zero | tr '\0' 'y')"
printf 'EHLO c\r\nAUTH PLAIN %s\r\n%s\r\nNOOP\r\n' "$longir" "$longnoop" | smtp SMTPAUTH= FORCETLS=0 | tail -n 3 > "$T/r"
check long-auth-line '235 2.0.0 ok, go ahead (#2.0.0)\r\n500 5.5.2 line too long (#5.5.2)\r\n250 2.0.0 ok\r\n' "$T/r"

# --- CRAM-MD5: the challenge and what checkpassword gets
printf 'EHLO c\r\nAUTH CRAM-MD5\r\n%s\r\n' "$(printf 'bob 0123456789abcdef0123456789abcdef' | base64)" |
  smtp SMTPAUTH=cram FORCETLS=0 > "$T/r"
ch=$(grep '^334 ' "$T/r" | cut -c5- | tr -d '\r' | base64 -d)
case "$ch" in
  "<"[0-9]*"@mx.test>") echo "ok   cram-challenge" ;;
  *) echo "FAIL cram-challenge: $ch"; fail=1 ;;
esac
printf 'bob\0000123456789abcdef0123456789abcdef\000%s\0' "$ch" > "$T/want3"
cmp -s "$T/want3" "$T/out/fd3" && echo "ok   cram-fd3" || { echo "FAIL cram-fd3"; od -c "$T/out/fd3" | head; fail=1; }
has cram-refused-535 "$T/r" "535 5.7.1 authentication failed (#5.7.1)"

# --- state: second AUTH, AUTH in a transaction, 530 when required
printf 'EHLO c\r\nAUTH PLAIN %s\r\nAUTH PLAIN %s\r\n' $PLAIN $PLAIN | smtp SMTPAUTH= FORCETLS=0 | tail -n 1 > "$T/r"
check already "503 5.5.0 you're already authenticated (#5.5.0)\r\n" "$T/r"
printf 'EHLO c\r\nMAIL FROM:<a@b.example>\r\nAUTH PLAIN %s\r\n' $PLAIN | smtp SMTPAUTH= FORCETLS=0 | tail -n 1 > "$T/r"
check in-transaction "503 5.5.0 no auth during mail transaction (#5.5.0)\r\n" "$T/r"
printf 'EHLO c\r\nMAIL FROM:<a@b.example>\r\nAUTH PLAIN %s\r\nMAIL FROM:<bob@example.test>\r\nRCPT TO:<x@remote.example>\r\n' $PLAIN |
  smtp SMTPAUTH='!' FORCETLS=0 | tail -n 4 > "$T/r"
check required-530 "530 5.7.1 Authorization required (#5.7.1) \r\n235 2.0.0 ok, go ahead (#2.0.0)\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n" "$T/r"
printf 'HELO c\r\nMAIL FROM:<a@b.example>\r\n' | smtp SMTPAUTH='!' | tail -n 1 > "$T/r"
check required-530-helo "530 Authorization required (#5.7.1) \r\n" "$T/r"

# --- checkpassword trouble: 454
printf 'EHLO c\r\nAUTH PLAIN %s\r\n' "$(printf '\0temp\0x' | base64)" | smtp SMTPAUTH= FORCETLS=0 | tail -n 1 > "$T/r"
check temp-454 "454 4.3.0 oops, problem with child and I can't auth (#4.3.0)\r\n" "$T/r"
printf 'EHLO c\r\nAUTH PLAIN %s\r\n' "$(printf '\0crash\0x' | base64)" | smtp SMTPAUTH= FORCETLS=0 | tail -n 1 > "$T/r"
check crash-454 "454 4.3.0 oops, problem with child and I can't auth (#4.3.0)\r\n" "$T/r"
printf 'EHLO c\r\nAUTH PLAIN %s\r\n' $PLAIN | env -i PATH="$PATH" QMAILDIR="$Q" SMTPAUTH= FORCETLS=0 \
  $RUN "$QV_BUILD/bin/qmail-smtpd" "$T/nonexistent" /bin/true 2>/dev/null | tail -n 1 > "$T/r"
check noexec-454 "454 4.3.0 oops, child won't start and I can't auth (#4.3.0)\r\n" "$T/r"

# --- MAIL AUTH=: kept for a trusted client without TCPREMOTEINFO only
reset
printf 'MAIL FROM:<a@b.example> AUTH=joe+2Bx@b.example\r\nRCPT TO:<u@example.test>\r\nDATA\r\nx\r\n.\r\n' | smtp RELAYCLIENT= > /dev/null
head -n 1 "$T/out/msg0" > "$T/m"
check mail-auth-trusted 'Received: from client.example (joe+x@b.example@192.0.2.7)\n' "$T/m"
reset
printf 'MAIL FROM:<a@b.example> AUTH=joe@b.example\r\nRCPT TO:<u@example.test>\r\nDATA\r\nx\r\n.\r\n' | smtp > /dev/null
head -n 1 "$T/out/msg0" > "$T/m"
check mail-auth-untrusted 'Received: from client.example (192.0.2.7)\n' "$T/m"
printf 'MAIL FROM:<a@b.example> AUTH=joe+zz\r\n' | smtp | tail -n 1 > "$T/r"
check mail-auth-malformed '555 syntax error (#5.5.4)\r\n' "$T/r"

# --- FORCEAUTHMAILFROM: own address, alias domain, others refused
printf 'EHLO c\r\nAUTH PLAIN %s\r\nMAIL FROM:<other@example.test>\r\nMAIL FROM:<>\r\nMAIL FROM:<bob@remote.example>\r\nMAIL FROM:<BOB@Example.TEST>\r\nMAIL FROM:<bob@alias.test>\r\n' $PLAIN |
  smtp SMTPAUTH= FORCETLS=0 FORCEAUTHMAILFROM=1 | tail -n 5 > "$T/r"
check forceauthmailfrom "503 5.5.1 from and auth not the same (#5.5.1)\r\n503 5.5.1 from and auth not the same (#5.5.1)\r\n503 5.5.1 from and auth not the same (#5.5.1)\r\n250 2.1.0 ok\r\n250 2.1.0 ok\r\n" "$T/r"
has forceauthmailfrom-log "$T/log" "auth-sender-refused ip=192.0.2.7 user=bob@example.test from=other@example.test"
# a login without a domain is in defaultdomain (VPOPMAIL_DOMAIN here)
printf 'EHLO c\r\nAUTH PLAIN %s\r\nMAIL FROM:<bob@example.test>\r\n' "$(printf '\0bob\0secret' | base64)" |
  smtp SMTPAUTH= FORCETLS=0 FORCEAUTHMAILFROM=1 VPOPMAIL_DOMAIN=example.test | tail -n 1 > "$T/r"
check forceauthmailfrom-default '250 2.1.0 ok\r\n' "$T/r"
printf 'EHLO c\r\nAUTH PLAIN %s\r\nMAIL FROM:<other@example.test>\r\n' $PLAIN |
  smtp SMTPAUTH= FORCETLS=0 FORCEAUTHMAILFROM=0 | tail -n 1 > "$T/r"
check forceauthmailfrom-0 '250 2.1.0 ok\r\n' "$T/r"

# --- failures: growing delay (2 s, 4 s), then 421 at control/authfailmax
echo 2 > "$Q/control/authfailmax"
start=$(date +%s)
printf 'EHLO c\r\nAUTH PLAIN %s\r\nAUTH PLAIN %s\r\nNOOP\r\n' $BADPW $BADPW | smtp SMTPAUTH= FORCETLS=0 | tail -n 3 > "$T/r"
took=$(( $(date +%s) - start ))
check failmax "535 5.7.1 authentication failed (#5.7.1)\r\n535 5.7.1 authentication failed (#5.7.1)\r\n421 4.7.0 too many authentication failures, closing connection (#4.7.0)\r\n" "$T/r"
[ $took -ge 6 ] && echo "ok   fail-delay ($took s)" || { echo "FAIL fail-delay: $took s < 6"; fail=1; }
has auth-limit-log "$T/log" "qmail-smtpd: warn: auth-limit ip=192.0.2.7"
rm -f "$Q/control/authfailmax"
# a failure, then success on the same connection (default limit 3)
printf 'EHLO c\r\nAUTH PLAIN %s\r\nAUTH PLAIN %s\r\n' $BADPW $PLAIN | smtp SMTPAUTH= FORCETLS=0 | tail -n 2 > "$T/r"
check fail-then-ok "535 5.7.1 authentication failed (#5.7.1)\r\n235 2.0.0 ok, go ahead (#2.0.0)\r\n" "$T/r"

exit $fail
