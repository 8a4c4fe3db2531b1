#!/bin/sh
# tests/t-sandbox.sh — tests/lib/sandbox.sh itself, which the end-to-end
# and demo tests build on: a script that sources it builds a sandbox
# (make setup, control files, a domain and user, the user's Maildir,
# tcprules CDB, a certificate, the fake queue, ownership by nobody as
# root) and starts two launchers (one with, one without the test
# connection); then it fails, is killed, or ends with KEEP=1. Each way
# the launchers must be gone, $tmp removed (kept with KEEP=1), and a
# failure must exit 1 with "FAIL [label]: text" and the logs' tails.
: "${QV_BUILD:?}" "${QV_SRC:?}"
w=$(mktemp -d) || exit 111
pids= t=
# a broken sandbox.sh may leave the child's launchers and tree behind
trap 'for p in $pids; do kill -TERM "$p" 2>/dev/null; done; rm -rf "$w" ${t:+"$t"}' EXIT
die() { echo "FAIL: $*"; [ -f "$w/out" ] && sed 's/^/    | /' "$w/out"; exit 1; }
command -v tcprules > /dev/null || die "tcprules not installed (scripts/deps)"
cat > "$w/child.sh" <<'EOT'
. "$QV_SRC/tests/lib/sandbox.sh"
sandbox_init
echo "tmp $tmp"
L=build
sandbox_setup
sandbox_control me mx.test databytes 1000
sandbox_domain example.test joe joepw
sandbox_maildir joe@example.test
echo "maildir $maildir"
sandbox_rules "$V/etc/tcp.test" '127.0.0.1:allow,X="1"' ':deny'
sandbox_cert default ca.test
sandbox_qq
printf 'Subject: q\n\nbody\n' | "$tmp/qq" 1< "$QV_SRC/tests/t-sandbox.sh" || fail "qq"
sandbox_own
echo "ugid $ugid"
echo "as $as"
sandbox_serve a "$QV_BUILD/bin/qvtcpserver" -1 $ugid 127.0.0.1 0 /bin/cat
echo "pid $spid"
sandbox_serve -n b "$QV_BUILD/bin/qvtcpserver" -1 $ugid 127.0.0.1 0 /bin/cat
echo "pid $spid"
sandbox_serve c "$QV_BUILD/bin/qvtcpserver" -1 $ugid 127.0.0.1 0 /bin/cat
c=$spid
sandbox_stop
kill -0 "$c" 2> /dev/null && fail "sandbox_stop: $c still runs"
case " $sb_pids " in *" $c "*) fail "sandbox_stop: $c still listed" ;; esac
echo "stopped $c"
echo "a line of b's log" >> "$tmp/log.b"
L=label
case $MODE in
  fail) fail "the text" ;;
  term) kill -TERM $$; sleep 10 ;;
esac
exit 0
EOT

# run MODE [VAR=value...]: the child script; sets rc, t (its $tmp), pids
run() {
  m=$1; shift
  env MODE=$m "$@" sh "$w/child.sh" > "$w/out" 2>&1
  rc=$?
  t=$(sed -n 's/^tmp //p' "$w/out")
  pids=$(sed -n 's/^pid //p' "$w/out")
  [ -n "$t" ] && [ "$(echo "$pids" | wc -l)" = 2 ] || die "$m: the sandbox was not built"
}
# gone: every launcher the child started ends within 5 s
gone() {
  for p in $pids; do
    i=0
    while kill -0 "$p" 2> /dev/null; do
      i=$((i + 1)); [ $i -lt 50 ] || die "$1: launcher $p still runs"; sleep 0.1
    done
  done
}

run fail
[ $rc = 1 ] || die "fail: exit $rc, want 1"
grep -qx 'FAIL \[label\]: the text' "$w/out" || die "fail: no 'FAIL [label]: the text' line"
grep -qx "\\-\\-\\- $t/log.b" "$w/out" && grep -qx "a line of b's log" "$w/out" || die "fail: the logs' tails not shown"
[ -d "$t" ] && die "fail: $t not removed"
gone fail
echo "ok   fail: exit 1, label, logs; launchers stopped, tree removed"

run term
[ $rc != 0 ] || die "term: exit 0"
[ -d "$t" ] && die "term: $t not removed"
gone term
echo "ok   SIGTERM: launchers stopped, tree removed"

run ok KEEP=1
[ $rc = 0 ] || die "ok: exit $rc"
[ -d "$t" ] || die "KEEP=1: $t removed"
gone "KEEP=1"
grep -q '^stopped ' "$w/out" || die "sandbox_stop"
# what the sandbox holds
grep -qx mx.test "$t/q/control/me" && grep -qx 1000 "$t/q/control/databytes" || die "control files"
grep -qx example.test "$t/q/control/rcpthosts" || die "vadddomain: no rcpthosts line"
md=$(sed -n 's/^maildir //p' "$w/out")
[ -d "$md/new" ] && [ -d "$md/cur" ] && [ -d "$md/tmp" ] || die "sandbox_maildir: $md"
case $md in "$t"/v/domains/*example.test/joe/Maildir) ;; *) die "sandbox_maildir: $md" ;; esac
python3 "$QV_SRC/tests/lib/cdbdump.py" "$t/v/etc/tcp.test.cdb" > "$w/cdb" && grep -aq '127.0.0.1->+X=1' "$w/cdb" ||
  die "tcprules CDB"
[ -s "$t/tls/default/fullchain.pem" ] || die "no fullchain.pem"
openssl x509 -in "$t/tls/default/fullchain.pem" -noout -subject | grep -q 'CN *= *ca.test' || die "certificate CN"
[ "$(stat -c %a "$t/tls/default/privkey.pem")" = 600 ] || die "privkey.pem mode"
[ -f "$t/out/msg0" ] && grep -qx body "$t/out/msg0" && cmp -s "$t/out/env0" "$QV_SRC/tests/t-sandbox.sh" ||
  die "sandbox_qq: message or envelope not kept"
if [ "$(id -u)" = 0 ]; then
  [ "$(stat -c %U "$t/tls/default/privkey.pem")" = "$(sed -n 4p "$QV_SRC/conf-users")" ] || die "privkey.pem owner"
  [ "$(stat -c %u "$md")" = 65534 ] && [ "$(stat -c %u "$t/q/control/me")" = 65534 ] || die "sandbox_own"
  grep -qx 'ugid -u 65534 -g 65534' "$w/out" && grep -q '^as setpriv ' "$w/out" || die "sandbox_own: ugid, as"
else
  grep -qx 'ugid ' "$w/out" && grep -qx 'as ' "$w/out" || die "sandbox_own changed ugid or as"
fi
# the test connection: in a's log, not in b's (-n)
grep -q 'start pid=' "$t/log.a" || die "no test connection in a's log"
grep -q 'start pid=' "$t/log.b" && die "sandbox_serve -n made a test connection"
rm -rf "$t"
echo "ok   KEEP=1: tree kept; setup, control, domain, Maildir, rules, certificate, queue, ownership"
exit 0
