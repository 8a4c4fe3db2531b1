# tests/lib/sandbox.sh — sourced by the end-to-end and demo tests: the
# sandbox every one of them builds the same way (temp tree and cleanup,
# `make setup`, control files, domains and users made with the vtools,
# tcprules CDBs, self-signed certificates, ownership by nobody when run
# as root, launchers stopped on exit, a `make demo` instance), so a test
# says only what is particular to it. Needs QV_BUILD and QV_SRC; sources
# launch.sh. Names it sets: tmp Q V TLS ugid as tlsuser port spid pw D
# BASE maildir; its own scratch names start with sb_ or the function's
# initials. A failing step calls fail, which exits the test.
#
# sandbox_init: makes $tmp (mode 755) and the traps: on exit (or HUP,
#   INT, PIPE, TERM) every launcher started by sandbox_serve gets
#   SIGTERM, a demo started by sandbox_demo is stopped, and $tmp is
#   removed (KEEP=1 keeps it). Defines fail TEXT ("FAIL [$L]: TEXT", or
#   "FAIL: TEXT" while L is empty, then the last 20 lines of each file
#   matching $sb_logs, default $tmp/log.*; exit 1) and ok TEXT
#   ("ok   $L: TEXT"). Sets TLS=$tmp/tls, and ugid, as, L empty. Puts
#   tests/lib on PYTHONPATH: python3 clients import mailclient.py.
# sandbox_need CMD...: fails unless every CMD is on PATH.
# sandbox_setup [QDIR VDIR]: `make setup` (SAN=1 for build-san) into
#   QDIR and VDIR (default $tmp/q, $tmp/v); exports QMAILDIR and
#   VPOPMAILDIR, sets Q and V; its output goes to $tmp/log.setup.
# sandbox_control NAME VALUE [NAME VALUE]...: one line VALUE in each
#   $Q/control/NAME.
# sandbox_domain DOMAIN [USER PASSWORD]...: vadddomain DOMAIN (postmaster
#   password "pw"), then vadduser USER@DOMAIN PASSWORD for each pair.
# sandbox_user ADDRESS PASSWORD: vadduser. The vtools run as $as.
# sandbox_maildir ADDRESS: sets maildir to ADDRESS's Maildir (vuserinfo
#   -d, else VPOPMAILDIR/domains/DOMAIN/USER); fails without a new/ in it.
# sandbox_own [PATH...]: as root, chown -R nobody PATH (default $Q $V)
#   and set ugid="-u 65534 -g 65534" (for a launcher or qvtls) and
#   as="setpriv ..." (a command prefix running as nobody); the protocol
#   programs refuse root. Otherwise it changes nothing.
# sandbox_rules FILE RULE...: writes the RULE lines to FILE and compiles
#   FILE.cdb with tcprules.
# sandbox_tlsuser: sets tlsuser (line 4 of conf-users, the id qvtls's
#   helper runs as); as root fails unless that user exists.
# sandbox_cert [NAME [CN [KEYTYPE]]]: a self-signed certificate for CN
#   (default localhost) in $TLS/NAME (default "default"), fullchain.pem
#   and privkey.pem (mode 600, owned by $tlsuser as root), each put in
#   place by rename; KEYTYPE is openssl's -newkey (default rsa:2048).
# sandbox_qq: $tmp/qq, a qmail-queue stand-in (QMAILQUEUE=$tmp/qq) that
#   writes the Nth message to $tmp/out/msgN and its envelope to
#   $tmp/out/envN (N from 0; one session at a time).
# sandbox_serve [-n] NAME CMD...: launch_start with port file
#   $tmp/port.NAME and log $tmp/log.NAME (CMD must print the port: -1);
#   sets port and spid; fails when it does not start. Several may run at
#   once. -n: no test connection (launch_noprobe), so the log holds only
#   the test's own connections.
# sandbox_stop: stops the launcher in $spid (the last one started).
# sandbox_wait_port PORT...: fails unless each 127.0.0.1:PORT accepts a
#   connection within 5 s.
# sandbox_demo: make setup into $tmp/demo/{qmail,vpopmail} and
#   `scripts/demo start` there (DEMO_DIR=$D) at DEMO_PORT_BASE=$BASE
#   (from the pid); sets D, BASE and pw (demo@example.test's password
#   the demo printed); the demo's logs are what fail shows. The demo's
#   output is in $tmp/demo.out.
. "$QV_SRC/tests/lib/launch.sh"

sandbox_init() {
  tmp=$(mktemp -d) || exit 111
  chmod 755 "$tmp"
  TLS=$tmp/tls
  export PYTHONPATH="$QV_SRC/tests/lib${PYTHONPATH:+:$PYTHONPATH}"
  sb_logs="$tmp/log.*" sb_pids= sb_demo= ugid= as= spid= L=
  trap sandbox_cleanup EXIT
  trap 'exit 1' HUP INT PIPE TERM
}
sandbox_cleanup() {
  for sb_p in $sb_pids; do kill -TERM "$sb_p" 2>/dev/null; done
  [ -n "$sb_demo" ] && DEMO_DIR=$sb_demo sh "$QV_SRC/scripts/demo" stop > /dev/null 2>&1
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
fail() {
  echo "FAIL${L:+ [$L]}: $*"
  for sb_f in $sb_logs; do [ -f "$sb_f" ] && { echo "--- $sb_f"; tail -n 20 "$sb_f"; }; done
  exit 1
}
ok() { echo "ok   $L: $*"; }

sandbox_need() {
  for sn_c in "$@"; do
    command -v "$sn_c" > /dev/null || fail "$sn_c not installed (scripts/deps)"
  done
}

sandbox_setup() {
  Q=${1:-$tmp/q} V=${2:-$tmp/v}
  export QMAILDIR="$Q" VPOPMAILDIR="$V"
  [ "$(basename "$QV_BUILD")" = build-san ] && sb_san="SAN=1" || sb_san=
  make -s -C "$QV_SRC" setup $sb_san QMAILDIR="$Q" VPOPMAILDIR="$V" > "$tmp/log.setup" 2>&1 ||
    fail "make setup: $(tail -n 5 "$tmp/log.setup")"
}

sandbox_control() {
  while [ $# -ge 2 ]; do
    printf '%s\n' "$2" > "$Q/control/$1" || fail "control/$1"
    shift 2
  done
}

sandbox_user() {
  $as "$V/bin/vadduser" "$1" "$2" > /dev/null || fail "vadduser $1"
}
sandbox_domain() {
  sd_d=$1; shift
  $as "$V/bin/vadddomain" "$sd_d" pw > /dev/null || fail "vadddomain $sd_d"
  while [ $# -ge 2 ]; do
    sandbox_user "$1@$sd_d" "$2"
    shift 2
  done
}
sandbox_maildir() {
  maildir=$($as "$V/bin/vuserinfo" -d "$1" 2>/dev/null)/Maildir
  [ -d "$maildir/new" ] || maildir="$V/domains/${1#*@}/${1%@*}/Maildir"
  [ -d "$maildir/new" ] || fail "no Maildir/new for $1"
}

sandbox_own() {
  [ "$(id -u)" = 0 ] || return 0
  [ $# -gt 0 ] || set -- "$Q" "$V"
  chown -R 65534:65534 "$@" || fail "chown $*"
  ugid="-u 65534 -g 65534"
  as="setpriv --reuid=65534 --regid=65534 --clear-groups"
}

sandbox_rules() {
  sr_f=$1; shift
  printf '%s\n' "$@" > "$sr_f" || fail "cannot write $sr_f"
  timeout 10 tcprules "$sr_f.cdb" "$sr_f.tmp" < "$sr_f" || fail "tcprules $sr_f"
}

sandbox_tlsuser() {
  tlsuser=$(sed -n 4p "$QV_SRC/conf-users")
  [ "$(id -u)" = 0 ] || return 0
  id "$tlsuser" > /dev/null 2>&1 || fail "user $tlsuser missing (make setup creates it)"
}
sandbox_cert() {
  sc_d="$TLS/${1:-default}"
  mkdir -p "$sc_d" || fail "mkdir $sc_d"
  openssl req -x509 -newkey "${3:-rsa:2048}" -nodes -days 2 -subj "/CN=${2:-localhost}" \
    -keyout "$sc_d/privkey.pem.tmp" -out "$sc_d/fullchain.pem.tmp" 2>/dev/null || fail "openssl req ${1:-default}"
  chmod 600 "$sc_d/privkey.pem.tmp"
  if [ "$(id -u)" = 0 ]; then
    sandbox_tlsuser
    chown "$tlsuser" "$sc_d/privkey.pem.tmp" || fail "chown $tlsuser $sc_d/privkey.pem"
  fi
  mv "$sc_d/privkey.pem.tmp" "$sc_d/privkey.pem" && mv "$sc_d/fullchain.pem.tmp" "$sc_d/fullchain.pem" ||
    fail "certificate ${1:-default} not in place"
}

sandbox_qq() {
  mkdir -p "$tmp/out" && chmod 777 "$tmp/out" || fail "$tmp/out"
  cat > "$tmp/qq" <<EOT
#!/bin/sh
# a qmail-queue stand-in: message on fd 0, envelope on fd 1
n=\$(ls "$tmp/out" | grep -c '^msg')
cat > "$tmp/out/msg\$n" && cat 0<&1 > "$tmp/out/env\$n"
EOT
  chmod 755 "$tmp/qq"
}

sandbox_serve() {
  launch_noprobe=
  [ "$1" = -n ] && { launch_noprobe=1; shift; }
  ss_n=$1; shift
  launch_start "$tmp/port.$ss_n" "$tmp/log.$ss_n" "$@" || fail "$ss_n: launcher did not start"
  sb_pids="$sb_pids $spid"
  launch_noprobe=
}
sandbox_stop() {
  ss_keep=
  for sb_p in $sb_pids; do [ "$sb_p" = "$spid" ] || ss_keep="$ss_keep $sb_p"; done
  sb_pids=$ss_keep
  launch_stop
}
sandbox_wait_port() {
  for sw_p in "$@"; do
    sw_i=0
    until python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2).close()' \
        "$sw_p" 2> /dev/null; do
      sw_i=$((sw_i + 1)); [ $sw_i -lt 50 ] || fail "port $sw_p does not listen"; sleep 0.1
    done
  done
}

sandbox_demo() {
  D=$tmp/demo
  sb_logs="$D/log/*.log"
  sandbox_setup "$D/qmail" "$D/vpopmail"
  BASE=$((20000 + ($$ % 397) * 100))
  sb_demo=$D
  DEMO_DIR=$D DEMO_PORT_BASE=$BASE sh "$QV_SRC/scripts/demo" start > "$tmp/demo.out" 2>&1 ||
    fail "scripts/demo: $(tail -n 5 "$tmp/demo.out")"
  pw=$(awk '$1 == "demo@example.test" { print $2 }' "$D/passwords")
  [ -n "$pw" ] || fail "no demo password"
}
