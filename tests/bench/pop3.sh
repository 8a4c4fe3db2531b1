#!/bin/sh
# tests/bench/pop3.sh — POP3, qvmail against Dovecot's POP3 in the same run.
#
# Logins: N parallel clients (BENCH_POP3_CLIENTS, default 8) each do
# BENCH_POP3_LOGINS (default 50) sessions USER/PASS/QUIT over 8 users
# whose passwords are SHA-512-crypt on both sides (Dovecot's passwd-file
# holds the very hashes vadduser wrote into vpasswd). Printed: logins/s.
# RETR: N clients at once log in to one mailbox of K messages
# (BENCH_POP3_MSGS, default 500) of BENCH_POP3_SIZE bytes (default
# 20480) and RETR every message, one command at a time. Printed: MB/s.
# Both as qvmail/Dovecot ratios, plus the peak RSS (VmHWM, sampled every
# 20 ms) of qvmail's qmail-popup and qmail-pop3d processes and of
# Dovecot's pop3 and pop3-login processes during the RETR run.
# Goals (issue 4): ahead of Dovecot on both, a session under 1 MB.
#
# qvmail: a sandbox from `make setup`, qvtcpserver on a free 127.0.0.1
# port running qmail-popup -> vchkpw -> qmail-pop3d, FORCETLS="0" for
# 127.0.0.1 by tcprules. Dovecot: a private instance (its own
# configuration, base_dir, state and log in the temp tree; the system
# instance is never touched), POP3 only, no TLS, plaintext allowed,
# passdb/userdb passwd-file, its own copy of the same Maildir; its
# defaults are kept otherwise (no auth cache, pop3-login per
# connection). Dovecot needs root and dovecot-pop3d (scripts/deps
# bench); without them only the qvmail figures are printed.
#
# Benchmarks report numbers; this fails only when logins or commands
# fail. KEEP=1 keeps the temp tree.
#
# Measured on the 2-core development VM (Dovecot 2.3.19), idle: logins
# 198/s vs 77/s (2.6x), RETR 414 MB/s vs 229 MB/s (1.8x); with other
# builds running: logins 90-326/s vs 60-117/s, RETR 245-361 vs 145-298
# MB/s. Peak RSS qmail-popup 712-776 KB, qmail-pop3d 816-948 KB (both
# static), Dovecot pop3 5.4 MB, pop3-login 7.3 MB.
: "${QV_BUILD:?}" "${QV_SRC:?}"
CLIENTS=${BENCH_POP3_CLIENTS:-8}
LOGINS=${BENCH_POP3_LOGINS:-50}
MSGS=${BENCH_POP3_MSGS:-500}
SIZE=${BENCH_POP3_SIZE:-20480}
USERS=8
LOAD="$QV_SRC/tests/bench/pop3load.py"
. "$QV_SRC/tests/lib/bench.sh"
bench_init pop3
[ -x "$QV_BUILD/bin/qmail-pop3d" ] || fail "no qmail-pop3d in $QV_BUILD/bin"

# ---- qvmail sandbox; as root it belongs to nobody (qmail-popup refuses root)
Q="$tmp/q" V="$tmp/v"
make -s -C "$QV_SRC" setup QMAILDIR="$Q" VPOPMAILDIR="$V" > "$tmp/setup.log" 2>&1 ||
  { cat "$tmp/setup.log"; fail "make setup"; }
export QMAILDIR="$Q" VPOPMAILDIR="$V"
echo localhost > "$Q/control/me"
AS= UGID=
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$tmp"
  AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
  UGID="-u 65534 -g 65534"
fi
$AS "$V/bin/vadddomain" bench.test pmpass > /dev/null || fail vadddomain
: > "$tmp/users"
i=1
while [ $i -le $USERS ]; do
  $AS "$V/bin/vadduser" "u$i@bench.test" "pw$i" > /dev/null || fail "vadduser u$i"
  echo "u$i@bench.test pw$i" >> "$tmp/users"
  i=$((i + 1))
done
MD=$($AS "$V/bin/vuserinfo" -d u1@bench.test)/Maildir
[ -d "$MD/new" ] || fail "no Maildir for u1"
bench_fill "$MD/new" "$MSGS" "$SIZE" u1@bench.test
[ -z "$AS" ] || chown -R 65534:65534 "$MD"
printf '%s\n' '127.0.0.1:allow,FORCETLS="0"' ':allow' > "$V/etc/tcp.pop3"
tcprules "$V/etc/tcp.pop3.cdb" "$V/etc/tcp.pop3.tmp" < "$V/etc/tcp.pop3" || fail tcprules
bench_serve qv -x "$V/etc/tcp.pop3.cdb" $UGID 127.0.0.1 0 \
  "$Q/bin/qmail-popup" localhost "$V/bin/vchkpw" "$Q/bin/qmail-pop3d" Maildir
qport=$port

# ---- Dovecot, private instance
dport=
if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/pop3 ]; then
  dv="$tmp/dovecot"
  mkdir -p "$dv/run" "$dv/state" "$dv/home"
  dport=$(freeport)
  # the same SHA-512-crypt hashes as qvmail's vpasswd
  vp=$(dirname "$($AS "$V/bin/vuserinfo" -d u1@bench.test)")/vpasswd
  [ -f "$vp" ] || vp="$V/domains/bench.test/vpasswd"
  : > "$dv/passwd"
  while IFS=: read -r u h rest; do
    case $u in u[0-9]*) ;; *) continue ;; esac
    mkdir -p "$dv/home/$u"
    echo "$u@bench.test:{SHA512-CRYPT}$h:65534:65534::$dv/home/$u::" >> "$dv/passwd"
  done < "$vp"
  grep -q '{SHA512-CRYPT}\$6\$' "$dv/passwd" || { echo "pop3 bench: vpasswd hashes are not SHA-512-crypt"; cat "$dv/passwd"; }
  cp -a "$MD" "$dv/home/u1/Maildir"
  chown -R 65534:65534 "$dv/home"
  chown dovecot "$dv/passwd"; chmod 600 "$dv/passwd"
  { dovecot_conf_common; cat <<EOT; } > "$dv/dovecot.conf"
ssl = no
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT $dv/passwd
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $dport
  }
}
pop3_uidl_format = %f
EOT
  if dovecot_start; then
    waitport "$dport"
  else
    dport=
  fi
else
  echo "pop3 bench: the Dovecot comparison needs root and dovecot-pop3d; qvmail figures only"
fi

status=0
# warm-up, not timed: first exec, page cache, Dovecot's index of the mailbox
python3 "$LOAD" retr "$qport" 1 u1@bench.test pw1 > /dev/null || { tail -n 5 "$tmp/log.qv"; fail "qvmail warm-up"; }
if [ -n "$dport" ]; then
  python3 "$LOAD" retr "$dport" 1 u1@bench.test pw1 > /dev/null ||
    { echo "pop3 bench: dovecot warm-up failed; qvmail figures only"; tail -n 5 "$dv/dovecot.log"; dport=; }
fi

q=$(python3 "$LOAD" logins "$qport" "$CLIENTS" "$LOGINS" "$tmp/users") ||
  { status=1; echo "pop3 bench: qvmail logins failed: $q"; }
line="pop3 logins ${CLIENTS}x$LOGINS (SHA512-CRYPT): qvmail $(fig logins_s "$q")/s"
if [ -n "$dport" ]; then
  d=$(python3 "$LOAD" logins "$dport" "$CLIENTS" "$LOGINS" "$tmp/users") ||
    { status=1; echo "pop3 bench: dovecot logins failed: $d"; }
  line="$line | dovecot $(fig logins_s "$d")/s | ratio $(ratio "$(fig logins_s "$q")" "$(fig logins_s "$d")")x"
fi
echo "$line"

q=$(python3 "$LOAD" retr "$qport" "$CLIENTS" u1@bench.test pw1 qmail-popup qmail-pop3d) ||
  { status=1; echo "pop3 bench: qvmail RETR failed: $q"; }
kb=$((SIZE / 1024))
line="pop3 RETR ${CLIENTS} clients x $MSGS x ${kb} KB: qvmail $(fig mb_s "$q") MB/s"
if [ -n "$dport" ]; then
  d=$(python3 "$LOAD" retr "$dport" "$CLIENTS" u1@bench.test pw1 pop3 pop3-login) ||
    { status=1; echo "pop3 bench: dovecot RETR failed: $d"; }
  line="$line | dovecot $(fig mb_s "$d") MB/s | ratio $(ratio "$(fig mb_s "$q")" "$(fig mb_s "$d")")x"
fi
echo "$line"
line="pop3 peak RSS per session: qmail-popup $(fig rss_qmail_popup_kb "$q") KB, qmail-pop3d $(fig rss_qmail_pop3d_kb "$q") KB"
[ -n "$dport" ] && line="$line | dovecot pop3 $(fig rss_pop3_kb "$d") KB, pop3-login $(fig rss_pop3_login_kb "$d") KB"
echo "$line"
exit $status
