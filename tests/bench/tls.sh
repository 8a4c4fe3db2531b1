#!/bin/sh
# tests/bench/tls.sh — TLS: handshakes/s through qvtls against Postfix's
# and Dovecot's own TLS, and plain-vs-TLS POP3 RETR throughput.
#
# Handshakes: BENCH_TLS_CLIENTS (default 4) processes each open
# BENCH_TLS_COUNT (default 100) implicit-TLS connections (full handshake,
# no resumption, TLS 1.3, RSA-2048 certificate on every server), read the
# greeting, QUIT, close. SMTPS: qvtcpserver -> qvtls -i -> qmail-smtpd
# against Postfix smtpd with smtpd_tls_wrappermode=yes. POP3S:
# qvtcpserver -> qvtls -i -> qmail-popup against Dovecot's pop3s
# listener. RETR: one session RETRs BENCH_TLS_MSGS (default 200) messages
# of BENCH_TLS_SIZE bytes (default 102400), over plain POP3 and over
# POP3S, on qvmail and on Dovecot. Printed: handshakes/s and MB/s with
# qvmail/peer ratios, and each server's TLS/plain RETR ratio.
#
# Both peers are private instances in the temp tree (their own config,
# queue/state and logs; the system instances are never touched); they
# need root and the postfix / dovecot-pop3d packages (scripts/deps
# bench). Without them only the qvmail figures are printed. Benchmarks
# report numbers; this fails only when connections or commands fail.
# KEEP=1 keeps the temp tree. The plain POP3 launcher gets -D (TCP_NODELAY),
# as qvtls and Dovecot set it.
#
# Measured on the 2-core development VM (other builds running, +-30%):
# SMTPS 108/s vs Postfix 86/s (1.26x); POP3S 88/s vs Dovecot 94/s
# (0.94x); RETR 200 x 100 KB qvmail plain 515 MB/s, TLS 260 MB/s,
# Dovecot plain 181 MB/s, TLS 97 MB/s (TLS 2.7x Dovecot).
: "${QV_BUILD:?}" "${QV_SRC:?}"
CLIENTS=${BENCH_TLS_CLIENTS:-4}
COUNT=${BENCH_TLS_COUNT:-100}
MSGS=${BENCH_TLS_MSGS:-200}
SIZE=${BENCH_TLS_SIZE:-102400}
LOAD="$QV_SRC/tests/bench/tlsload.py"
. "$QV_SRC/tests/lib/bench.sh"
bench_init tls
[ -x "$QV_BUILD/bin/qvtls" ] || fail "no qvtls in $QV_BUILD/bin"

# ---- qvmail sandbox; as root it belongs to nobody, the keys to qvtls
Q="$tmp/q" V="$tmp/v" T="$tmp/tls"
make -s -C "$QV_SRC" setup QMAILDIR="$Q" VPOPMAILDIR="$V" > "$tmp/setup.log" 2>&1 ||
  { cat "$tmp/setup.log"; fail "make setup"; }
export QMAILDIR="$Q" VPOPMAILDIR="$V"
echo localhost > "$Q/control/me"
echo bench.test > "$Q/control/rcpthosts"
mkdir -p "$T/default"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench.test" \
  -keyout "$T/default/privkey.pem" -out "$T/default/fullchain.pem" 2>/dev/null || fail "openssl req"
chmod 600 "$T/default/privkey.pem"
# the peers' copies of the same certificate and key
cat "$T/default/privkey.pem" "$T/default/fullchain.pem" > "$tmp/peer.pem"
cp "$T/default/privkey.pem" "$tmp/peer.key"
chmod 600 "$tmp/peer.pem" "$tmp/peer.key"
AS= UGID=
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$Q" "$V"
  chown "$(sed -n 4p "$QV_SRC/conf-users")" "$T/default/privkey.pem" || fail "no qvtls user (make setup)"
  AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
  UGID="-u 65534 -g 65534"
fi
$AS "$V/bin/vadddomain" bench.test pmpass > /dev/null || fail vadddomain
$AS "$V/bin/vadduser" u1@bench.test pw1 > /dev/null || fail vadduser
MD=$($AS "$V/bin/vuserinfo" -d u1@bench.test)/Maildir
[ -d "$MD/new" ] || fail "no Maildir for u1"
bench_fill "$MD/new" "$MSGS" "$SIZE" u1@bench.test
[ -z "$AS" ] || chown -R 65534:65534 "$MD"
printf '%s\n' '127.0.0.1:allow,FORCETLS="0"' ':allow' > "$V/etc/tcp.pop3"
tcprules "$V/etc/tcp.pop3.cdb" "$V/etc/tcp.pop3.tmp" < "$V/etc/tcp.pop3" || fail tcprules
POPCHAIN="$Q/bin/qmail-popup localhost $V/bin/vchkpw $Q/bin/qmail-pop3d Maildir"
bench_serve smtps 127.0.0.1 0 "$Q/bin/qvtls" -i -d "$T" $UGID "$Q/bin/qmail-smtpd"
q_smtps=$port
bench_serve pop3s -x "$V/etc/tcp.pop3.cdb" 127.0.0.1 0 "$Q/bin/qvtls" -i -d "$T" $UGID $POPCHAIN
q_pop3s=$port
bench_serve pop3 -D -x "$V/etc/tcp.pop3.cdb" $UGID 127.0.0.1 0 $POPCHAIN
q_pop3=$port

# ---- Postfix, private instance, SMTPS only (wrapper mode)
p_smtps=
if [ "$(id -u)" = 0 ] && command -v postfix > /dev/null 2>&1; then
  pf="$tmp/pf"
  mkdir -p "$pf/etc" "$pf/spool" "$pf/data"
  chown postfix "$pf/data"
  p_smtps=$(freeport)
  { postfix_main_common; cat <<EOT; } > "$pf/etc/main.cf"
smtpd_tls_chain_files = $tmp/peer.pem
smtpd_tls_security_level = none
EOT
  { postfix_master_common; cat <<EOT; } > "$pf/etc/master.cf"
127.0.0.1:$p_smtps inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
EOT
  if postfix_start; then
    waitport "$p_smtps"
  else
    p_smtps=
  fi
else
  echo "tls bench: the Postfix comparison needs root and postfix; qvmail SMTPS figures only"
fi

# ---- Dovecot, private instance: pop3 and pop3s
d_pop3= d_pop3s=
if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/pop3 ]; then
  dv="$tmp/dovecot"
  mkdir -p "$dv/run" "$dv/state" "$dv/home/u1"
  d_pop3=$(freeport)
  d_pop3s=$(freeport)
  echo "u1@bench.test:{PLAIN}pw1:65534:65534::$dv/home/u1::" > "$dv/passwd"
  cp -a "$MD" "$dv/home/u1/Maildir"
  chown -R 65534:65534 "$dv/home"
  chown dovecot "$dv/passwd"; chmod 600 "$dv/passwd"
  { dovecot_conf_common; cat <<EOT; } > "$dv/dovecot.conf"
ssl = yes
ssl_cert = <$T/default/fullchain.pem
ssl_key = <$tmp/peer.key
passdb {
  driver = passwd-file
  args = $dv/passwd
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $d_pop3
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $d_pop3s
    ssl = yes
  }
}
EOT
  if dovecot_start; then
    waitport "$d_pop3s"
  else
    d_pop3= d_pop3s=
  fi
else
  echo "tls bench: the Dovecot comparison needs root and dovecot-pop3d; qvmail POP3 figures only"
fi

status=0
hs() { # PORT PROTO
  r=$(python3 "$LOAD" handshake "$1" "$CLIENTS" "$COUNT" "$2") || { status=1; echo "tls bench: failures on port $1: $r" >&2; }
  fig handshakes_s "$r"
}
retr() { # PORT TLS
  r=$(python3 "$LOAD" retr "$1" "$2" u1@bench.test pw1) || { status=1; echo "tls bench: RETR on port $1: $r" >&2; }
  fig mb_s "$r"
}
# warm-up, not timed (first exec, page cache, Dovecot's index)
python3 "$LOAD" handshake "$q_smtps" 1 2 smtp > /dev/null || { tail -n 5 "$tmp/log.smtps"; fail "qvmail SMTPS warm-up"; }
python3 "$LOAD" retr "$q_pop3s" 1 u1@bench.test pw1 > /dev/null || { tail -n 5 "$tmp/log.pop3s"; fail "qvmail POP3S warm-up"; }
[ -n "$p_smtps" ] && { python3 "$LOAD" handshake "$p_smtps" 1 2 smtp > /dev/null ||
  { echo "tls bench: postfix warm-up failed"; tail -n 5 "$pf/maillog"; p_smtps=; }; }
[ -n "$d_pop3s" ] && { python3 "$LOAD" retr "$d_pop3s" 1 u1@bench.test pw1 > /dev/null ||
  { echo "tls bench: dovecot warm-up failed"; tail -n 5 "$dv/dovecot.log"; d_pop3= d_pop3s=; }; }

n=$((CLIENTS * COUNT))
q=$(hs "$q_smtps" smtp)
line="tls SMTPS handshakes ($n, $CLIENTS clients): qvmail $q/s"
[ -n "$p_smtps" ] && { p=$(hs "$p_smtps" smtp); line="$line | postfix $p/s | ratio $(ratio "$q" "$p")x"; }
echo "$line"
q=$(hs "$q_pop3s" pop3)
line="tls POP3S handshakes ($n, $CLIENTS clients): qvmail $q/s"
[ -n "$d_pop3s" ] && { d=$(hs "$d_pop3s" pop3); line="$line | dovecot $d/s | ratio $(ratio "$q" "$d")x"; }
echo "$line"
qp=$(retr "$q_pop3" 0); qt=$(retr "$q_pop3s" 1)
line="tls POP3 RETR $MSGS x $((SIZE / 1024)) KB: qvmail plain $qp MB/s, TLS $qt MB/s (TLS/plain $(ratio "$qt" "$qp"))"
if [ -n "$d_pop3s" ]; then
  dp=$(retr "$d_pop3" 0); dt=$(retr "$d_pop3s" 1)
  line="$line | dovecot plain $dp MB/s, TLS $dt MB/s (TLS/plain $(ratio "$dt" "$dp")) | TLS ratio $(ratio "$qt" "$dt")x"
fi
echo "$line"
echo "tls: $(nproc) cores; the load generator runs on the same cores"
exit $status
