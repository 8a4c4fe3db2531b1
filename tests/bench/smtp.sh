#!/bin/sh
# tests/bench/smtp.sh — inbound SMTP throughput, qvmail against Postfix.
#
# N concurrent clients (BENCH_SMTP_CLIENTS, default 8) each send M
# messages over one connection to local users, for 4 KB messages
# (M = BENCH_SMTP_MSGS_4K, default 200) and 100 KB messages
# (M = BENCH_SMTP_MSGS_100K, default 50). tests/bench/smtpload.py drives
# the load and counts the files in the users' Maildir new/ directories.
# Printed per size: accepted msgs/s, delivered msgs/s (first MAIL to the
# last file in new/), p50/p99 latency (MAIL to the 250 after the dot),
# for qvmail and for Postfix, and qvmail's delivered rate over Postfix's.
# Goal: at least 2x Postfix's delivered msgs/s for 4 KB with 8 clients.
#
# qvmail: a sandbox from `make setup`, one domain with BENCH_SMTP_USERS
# (default 8) users, qvtcpserver on a free 127.0.0.1 port running
# qmail-smtpd, which delivers before it answers 250.
# Postfix: a private instance (its own config, queue and data directory
# in the temp tree; the system instance is never touched) listening on
# a free 127.0.0.1 port, delivering with virtual(8) to Maildirs, no DNS.
# Postfix's defaults are kept otherwise. It needs root (postfix start)
# and the postfix package (scripts/deps bench); without them only the
# qvmail figures are printed.
#
# Benchmarks report numbers; this fails only when messages are lost or
# refused. KEEP=1 keeps the temp tree (logs, Maildirs, Postfix's maillog).
#
# Trees: as root on a fresh loop-mounted ext4 (tests/lib/bench.sh,
# BENCH_FS; BENCH_FS=tmp for $TMPDIR as before).
#
# Measured on the 2-core development VM (Postfix 3.7.11), 8 clients,
# fresh ext4, otherwise idle, fourteen runs: 4 KB x 200 qvmail 1305-1725
# delivered/s (p50 4.4-5.8 ms), Postfix 444-775/s, ratios 1.8-3.5 (median
# 2.5x, 13 of 14 at 2x or more); 100 KB x 50 2.1-2.5x. On the
# root file system (no journal) 2.9x and 2.6x; with other agents' builds
# running 1.5-1.9x. On tmpfs qvmail reaches 4690/s: on a disk it mostly
# waits for its two journal commits per message (file, then new/), which
# come before its 250; Postfix answers after one fsync of its queue file
# and delivers later (its accepted and delivered rates differ by the
# queue's lag). CPU per message (perf, per process): qvmail ~0.3 ms in
# qmail-rcptcheck (recipient check, dry run, delivery: the queue step
# runs there, no process per message) + ~0.2 ms in qmail-smtpd; Postfix
# ~1.7 ms over smtpd, cleanup, virtual and qmgr. Both fsync each message
# file; qvmail also fsyncs new/. The load generator uses 10-25% of a core.
: "${QV_BUILD:?}" "${QV_SRC:?}"
CLIENTS=${BENCH_SMTP_CLIENTS:-8}
USERS=${BENCH_SMTP_USERS:-8}
M4K=${BENCH_SMTP_MSGS_4K:-200}
M100K=${BENCH_SMTP_MSGS_100K:-50}
LOAD="$QV_SRC/tests/bench/smtpload.py"
. "$QV_SRC/tests/lib/bench.sh"
bench_init smtp

# ---- qvmail sandbox
Q="$tmp/q" V="$tmp/v"
make -s -C "$QV_SRC" setup QMAILDIR="$Q" VPOPMAILDIR="$V" > "$tmp/setup.log" 2>&1 ||
  { cat "$tmp/setup.log"; fail "make setup"; }
export QMAILDIR="$Q" VPOPMAILDIR="$V"
echo localhost > "$Q/control/me"
echo bench.test > "$Q/control/defaultdomain"
echo 10485760 > "$Q/control/databytes"
"$V/bin/vadddomain" bench.test pmpass > /dev/null || fail vadddomain
i=1
while [ $i -le "$USERS" ]; do
  "$V/bin/vadduser" "u$i@bench.test" "pw$i" > /dev/null || fail "vadduser u$i"
  i=$((i + 1))
done
# qmail-smtpd refuses to run as root: as root the sandbox belongs to nobody
RUN=
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$Q" "$V"
  RUN="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
bench_as=$RUN
bench_serve qv 127.0.0.1 0 "$Q/bin/qmail-smtpd"
qport=$port
QNEW="$V/domains/bench.test/{user}/Maildir/new"

# ---- Postfix, private instance
pfport=
if [ "$(id -u)" = 0 ] && command -v postfix > /dev/null 2>&1; then
  pf="$tmp/pf"
  mkdir -p "$pf/etc" "$pf/spool" "$pf/data" "$pf/mail"
  chown postfix "$pf/data"
  chown 65534:65534 "$pf/mail"
  pfport=$(freeport)
  : > "$pf/etc/vmailbox"
  i=1
  while [ $i -le "$USERS" ]; do
    echo "u$i@bench.test bench.test/u$i/" >> "$pf/etc/vmailbox"
    i=$((i + 1))
  done
  { postfix_main_common; cat <<EOT; } > "$pf/etc/main.cf"
smtpd_tls_security_level = none
relayhost =
virtual_mailbox_domains = bench.test
virtual_mailbox_base = $pf/mail
virtual_mailbox_maps = texthash:$pf/etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
message_size_limit = 10485760
EOT
  { postfix_master_common; cat <<EOT; } > "$pf/etc/master.cf"
127.0.0.1:$pfport inet n - n - - smtpd
proxywrite unix -       -       n       -       1       proxymap
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
EOT
  if postfix_start; then
    waitport "$pfport"
  else
    pfport=
  fi
else
  echo "smtp bench: Postfix comparison needs root and the postfix package; qvmail figures only"
fi
PNEW="$tmp/pf/mail/bench.test/{user}/new"

# one warm-up message per server, not timed (first exec, first Maildir)
python3 "$LOAD" 127.0.0.1 "$qport" 1 1 1000 bench.test 1 "$QNEW" > /dev/null ||
  { tail -n 5 "$tmp/log.qv"; fail "qvmail warm-up message not delivered"; }
if [ -n "$pfport" ]; then
  BENCH_WAIT=20 python3 "$LOAD" 127.0.0.1 "$pfport" 1 1 1000 bench.test 1 "$PNEW" > /dev/null || {
    echo "smtp bench: postfix warm-up message not delivered; qvmail figures only"
    tail -n 5 "$pf/maillog" 2>/dev/null | sed 's/^/  /'
    pfport=
  }
fi

status=0
for spec in "4KB 4096 $M4K" "100KB 102400 $M100K"; do
  set -- $spec
  label=$1 size=$2 msgs=$3
  q=$(python3 "$LOAD" 127.0.0.1 "$qport" "$CLIENTS" "$msgs" "$size" bench.test "$USERS" "$QNEW") ||
    { status=1; echo "smtp bench: qvmail lost or refused messages: $q"; }
  line="smtp $label ${CLIENTS}x$msgs: qvmail accepted $(fig accepted_s "$q")/s delivered $(fig delivered_s "$q")/s p50 $(fig p50_ms "$q") ms p99 $(fig p99_ms "$q") ms"
  if [ -n "$pfport" ]; then
    p=$(python3 "$LOAD" 127.0.0.1 "$pfport" "$CLIENTS" "$msgs" "$size" bench.test "$USERS" "$PNEW") ||
      { status=1; echo "smtp bench: postfix lost or refused messages: $p"; }
    ratio=$(echo "$(fig delivered_s "$q") $(fig delivered_s "$p")" | awk '$2 > 0 { printf "%.1f", $1 / $2 }')
    line="$line | postfix accepted $(fig accepted_s "$p")/s delivered $(fig delivered_s "$p")/s p50 $(fig p50_ms "$p") ms p99 $(fig p99_ms "$p") ms | delivered ratio ${ratio:-?}x"
  fi
  echo "$line"
  echo "  load generator CPU while sending: qvmail run $(fig client_cpu "$q")${p:+, postfix run $(fig client_cpu "$p")} of one core"
done
echo "smtp: trees on $bench_fs, $(nproc) cores"
exit $status
