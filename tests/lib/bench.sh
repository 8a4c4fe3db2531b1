# tests/lib/bench.sh — sourced by the benches that measure qvmail against
# a peer (smtp.sh, pop3.sh, tls.sh): the temp tree and its cleanup, free
# ports, the figures' arithmetic, and the parts of a private Postfix and
# Dovecot instance every bench configures the same way. Each bench adds
# its own listeners and settings; the system instances are never touched.
#
# bench_init NAME: makes $tmp (under BENCH_DIR, TMPDIR or /tmp), and on
#   exit stops what the bench recorded — launcher pids in $pids, Postfix
#   in $pf, Dovecot in $dv — and removes $tmp (KEEP=1 keeps it).
#   fail TEXT prints "NAME bench: TEXT" and exits 1.
#   BENCH_FS=ext4 (the default as root when mkfs.ext4 and loop devices
#   are there; BENCH_FS=tmp for the plain directory): $tmp is a fresh
#   ext4 file system made with mkfs.ext4's defaults (journal on, as on a
#   mail server; inode tables and journal initialised at mkfs time, so no
#   background ext4lazyinit writes during the runs) in a 4 GB sparse
#   image, loop-mounted for this run; both servers' trees live there.
#   Why: on a file system without a journal, ext4 skips, on every
#   inode allocation, each inode freed in the last 60-360 s, reading its
#   inode table block (fs/ext4/ialloc.c, recently_deleted()), so on this
#   VM's root file system (no journal) a file creation cost up to ~1.5 ms
#   of CPU after other processes had deleted many files; the figures then
#   depend on what ran before. $bench_fs names what the trees are on.
bench_init() {
  bench_name=$1
  tmp=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/qv-bench-$1.XXXXXX") || exit 111
  chmod 755 "$tmp"
  pids= pf= dv= bench_mnt=
  trap bench_cleanup EXIT
  trap 'exit 111' INT TERM
  if [ -z "${BENCH_FS:-}" ] && [ "$(id -u)" = 0 ] && command -v mkfs.ext4 > /dev/null &&
     [ -e /dev/loop-control ]; then
    BENCH_FS=ext4
  fi
  if [ "${BENCH_FS:-}" = ext4 ]; then
    [ "$(id -u)" = 0 ] || fail "BENCH_FS=ext4 needs root (mount)"
    truncate -s 4G "$tmp/fs.img" &&
      mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$tmp/fs.img" > /dev/null 2>&1 &&
      mkdir "$tmp/fs" && mount -o loop "$tmp/fs.img" "$tmp/fs" ||
      fail "cannot make and mount an ext4 image"
    bench_mnt=$tmp/fs
    bench_top=$tmp
    tmp=$tmp/fs/t
    mkdir "$tmp" && chmod 755 "$bench_mnt" "$tmp"
  fi
  bench_fs="$(df -T "$tmp" | awk 'NR == 2 { print $2 }')${bench_mnt:+ (fresh, loop-mounted; BENCH_FS=tmp for $(dirname "$bench_top"))}"
}
bench_cleanup() {
  for p in $pids; do kill -TERM "$p" 2>/dev/null; done
  [ -n "$pf" ] && postfix -c "$pf/etc" stop > /dev/null 2>&1
  [ -n "$dv" ] && doveadm -c "$dv/dovecot.conf" stop > /dev/null 2>&1
  if [ -n "$bench_mnt" ]; then
    [ -n "$KEEP" ] && { echo "kept $bench_mnt (still mounted)"; return; }
    sleep 0.5   # the stopped servers let go of their files
    umount "$bench_mnt" 2>/dev/null || { sleep 2; umount -l "$bench_mnt"; }
    rm -rf "$bench_top"
    return
  fi
  [ -n "$KEEP" ] && echo "kept $tmp" || rm -rf "$tmp"
}
fail() { echo "$bench_name bench: $*"; exit 1; }

# bench_serve NAME ARGS...: qvmail's launcher $Q/bin/qvtcpserver -1 -c 200
#   -C 0 ARGS on a free port, run through $bench_as when set (e.g. setpriv
#   to nobody); its log in $tmp/log.NAME, its pid recorded for cleanup;
#   sets $port once it is listening (at most 5 s, else fail).
bench_serve() {
  bs_name=$1; shift
  ${bench_as:-} "$Q/bin/qvtcpserver" -1 -c 200 -C 0 "$@" > "$tmp/port.$bs_name" 2> "$tmp/log.$bs_name" &
  pids="$pids $!"
  bs_i=0
  while [ $bs_i -lt 50 ] && [ ! -s "$tmp/port.$bs_name" ]; do sleep 0.1; bs_i=$((bs_i + 1)); done
  port=$(head -n 1 "$tmp/port.$bs_name")
  [ -n "$port" ] || { cat "$tmp/log.$bs_name"; fail "$bs_name did not start"; }
}
# bench_fill NEWDIR K SIZE ADDR: K messages of SIZE bytes for ADDR in the
#   Maildir directory NEWDIR, named as vdeliver names them, with mtimes
#   one second apart (the oldest first, as POP3 lists them).
bench_fill() {
  python3 - "$@" <<'EOT' || fail "cannot fill $1"
import os, sys, time
d, k, size, addr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
now = int(time.time()) - k - 10
line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod te\n'
for i in range(k):
    head = ('Return-Path: <s@x.org>\nDelivered-To: %s\nSubject: bench %d\n'
            'Message-ID: <%d@bench.test>\n\n' % (addr, i, i))
    data = head + (line * (size // len(line) + 1))[:size - len(head) - 1] + '\n'
    p = os.path.join(d, '%d.M%dP4242.bench.test,S=%d' % (now + i, i, len(data)))
    with open(p, 'w') as f:
        f.write(data)
    os.utime(p, (now + i, now + i))
EOT
}
freeport() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# waitport PORT: until 127.0.0.1:PORT accepts, at most 5 s
waitport() {
  wp_i=0
  while [ $wp_i -lt 50 ] && ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; do
    sleep 0.1; wp_i=$((wp_i + 1))
  done
}
# fig KEY LINE: the value of KEY=... in a load generator's output
fig() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
ratio() { echo "$1 $2" | awk '$2 > 0 { printf "%.2f", $1 / $2 }'; }

# postfix_main_common: main.cf lines of a private instance in $pf (own
# config, queue and data directories, loopback only, no DNS, no local
# delivery, log to $pf/maillog). The bench appends its own.
postfix_main_common() {
  cat <<EOT
compatibility_level = 3.6
config_directory = $pf/etc
queue_directory = $pf/spool
data_directory = $pf/data
meta_directory = /etc/postfix
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
command_directory = /usr/sbin
mail_owner = postfix
setgid_group = postdrop
myhostname = bench-mx.localdomain
mydomain = localdomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtp_dns_support_level = disabled
smtpd_client_restrictions =
alias_maps =
alias_database =
local_recipient_maps =
biff = no
maillog_file = $pf/maillog
maillog_file_prefixes = $tmp
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C
EOT
}
# postfix_master_common: the master.cf services every instance needs;
# the bench adds its smtpd listener and any delivery agent.
postfix_master_common() {
  cat <<'EOT'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOT
}
# postfix_start: starts the instance in $pf; 1 (and a note, $pf emptied)
# when it does not start.
postfix_start() {
  postfix -c "$pf/etc" start > "$tmp/pf.start" 2>&1 && return 0
  echo "$bench_name bench: postfix did not start; qvmail figures only"
  sed 's/^/  /' "$tmp/pf.start" "$pf/maillog" 2>/dev/null | tail -n 10
  pf=
  return 1
}

# dovecot_conf_common: dovecot.conf lines of a private POP3 instance in
# $dv (own base and state directories, loopback, users from the
# passwd-file $dv/passwd with their homes, plaintext logins allowed, no
# auth penalty). The bench adds ssl, its passdb and its listeners.
dovecot_conf_common() {
  cat <<EOT
protocols = pop3
listen = 127.0.0.1
base_dir = $dv/run
state_dir = $dv/state
log_path = $dv/dovecot.log
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 1
userdb {
  driver = passwd-file
  args = $dv/passwd
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOT
}
# dovecot_start: starts the instance in $dv; 1 (and a note, $dv emptied)
# when it does not start.
dovecot_start() {
  /usr/sbin/dovecot -c "$dv/dovecot.conf" > "$tmp/dovecot.start" 2>&1 && return 0
  echo "$bench_name bench: dovecot did not start; qvmail figures only"
  sed 's/^/  /' "$tmp/dovecot.start" "$dv/dovecot.log" 2>/dev/null | tail -n 10
  dv=
  return 1
}
