#!/bin/sh
# vchkpw: the checkpassword contract against a hand-written vpopmail tree
# (users/cdb, domains/<d>/vpasswd + vpasswd.cdb written by an independent
# cdb writer): every stored scheme logs in, wrong passwords and unknown
# users exit 3, disable bits per service exit 1, APOP and CRAM-MD5,
# 111 when a store is missing or unreadable, the exported environment.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"; exit 1; }
VCHKPW="$QV_BUILD/bin/vchkpw"
[ -x "$VCHKPW" ] || fail "no $VCHKPW"

export QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v"
unset VPOPMAIL_DOMAIN VCHKPW_SERVICE TCPLOCALPORT TCPREMOTEIP REMOTE_HOST
uid=$(id -u); gid=$(id -g)
D="$VPOPMAILDIR/domains/example.com"
D2="$VPOPMAILDIR/domains/limited.org"
mkdir -p "$QMAILDIR/users" "$QMAILDIR/control" "$VPOPMAILDIR/etc" "$D" "$D2"

# users/cdb in qmail-newu's format, written by hand.
python3 - "$QMAILDIR/users/cdb" "$uid" "$gid" "$D" "$D2" <<'EOT' || fail "users/cdb fixture"
import os, subprocess, sys
path, uid, gid, d, d2 = sys.argv[1:]
recs = [
    (b"!example.com-", f"example.com\0{uid}\0{gid}\0{d}\0-\0".encode()),
    (b"!alias.net-", f"example.com\0{uid}\0{gid}\0{d}\0-\0".encode()),
    (b"!limited.org-", f"limited.org\0{uid}\0{gid}\0{d2}\0-\0".encode()),
    (b"", b"-"),
]
inp = b"".join(b"+%d,%d:%s->%s\n" % (len(k), len(v), k, v) for k, v in recs) + b"\n"
subprocess.run(["python3", os.environ["QV_SRC"] + "/tests/lib/cdbmake.py", path], input=inp, check=True)
EOT

# vpasswd: password "s3cret pw" in every scheme (vectors from lib/pwhash_test.c).
cat > "$D/vpasswd" <<EOT
des:abTk71qDTQKMY:1:0:des:$D/des:NOQUOTA
md5:\$1\$abcdefgh\$Ezy/7289va/MMoQrtJIRM1:1:0:md5:$D/md5:NOQUOTA
sha256:\$5\$saltsalt\$V8elRryZS0n9i55dbzNxobejOIP4Vf9etUWUk3kFkV.:1:0:sha256:$D/sha256:NOQUOTA
sha512:\$6\$saltsalt\$7u7lGNWW9pmKyYBbYJ6Jh6i2ruj8e.Qfb5jWFzC5XDXwkp22RJs8FI/FZCcvlqZ74LOOE4zjgN.gJJSAWe/Um/:1:0:sha512:$D/sha512:52428800S,1000C
bcrypt:\$2b\$05\$abcdefghijklmnopqrstuuA7GpRYJF7WR2309Fw8EkEXdSyXmEjTe:1:0:bcrypt:$D/bcrypt:NOQUOTA
yescrypt:\$y\$j9T\$abcdefghijklmnop\$dRL27ns4fbReDJ2qGHgmJVtvkXdkMs48SMEQOCBKko1:1:0:y:$D/yescrypt:NOQUOTA
ssha512:{SSHA512}hqCIbiTxhFt4PqnkAjErFoDQFk4cn6NJSQFh902MHiyAGasRvqUCRjxPoxbd7scvtk26uBdv5uMf8MuPCwKjGgECAwQFBgcI:1:0:s:$D/ssha512:NOQUOTA
plain:{PLAIN}s3cret pw:1:0:p:$D/plain:NOQUOTA
clear:\$1\$abcdefgh\$Ezy/7289va/MMoQrtJIRM1:1:0:clear:$D/clear:NOQUOTA:tanstaaf
nohash::1:0:nohash:$D/nohash:NOQUOTA
nopop:{PLAIN}s3cret pw:1:2:nopop:$D/nopop:NOQUOTA
noimap:{PLAIN}s3cret pw:1:8:noimap:$D/noimap:NOQUOTA
nosmtp:{PLAIN}s3cret pw:1:2048:nosmtp:$D/nosmtp:NOQUOTA
noweb:{PLAIN}s3cret pw:1:4:noweb:$D/noweb:NOQUOTA
EOT
cat > "$D2/vpasswd" <<EOT
bob:{PLAIN}s3cret pw:1:0:bob:$D2/bob:NOQUOTA
boss:{PLAIN}s3cret pw:1:8192:boss:$D2/boss:NOQUOTA
EOT
printf 'disable_pop\n' > "$D2/.qmailadmin-limits"

mkcdb() {
  python3 - "$1" <<'EOT' || fail "vpasswd.cdb fixture $1"
import os, subprocess, sys
d = sys.argv[1]
inp = b""
for line in open(d + "/vpasswd", "rb").read().splitlines():
    k, v = line.split(b":", 1)
    inp += b"+%d,%d:%s->%s\n" % (len(k), len(v), k, v)
subprocess.run(["python3", os.environ["QV_SRC"] + "/tests/lib/cdbmake.py", d + "/vpasswd.cdb"],
               input=inp + b"\n", check=True)
EOT
}
mkcdb "$D"
mkcdb "$D2"

# run LOGIN PASS [EXTRA] -- runs vchkpw env with fd 3 = the record;
# sets $rc, output in $tmp/out, log in $tmp/err.
run() {
  if [ $# -ge 3 ]; then printf '%s\0%s\0%s\0' "$1" "$2" "$3" > "$tmp/in"
  else printf '%s\0%s\0' "$1" "$2" > "$tmp/in"; fi
  "$VCHKPW" env 3< "$tmp/in" > "$tmp/out" 2> "$tmp/err"
  rc=$?
}
expect() { # expect RC LOGIN PASS [EXTRA]
  want=$1; shift
  run "$@"
  [ "$rc" = "$want" ] || fail "login '$1' (service ${VCHKPW_SERVICE:-default}): exit $rc, want $want"
}

export VCHKPW_SERVICE=pop3
for u in des md5 sha256 sha512 bcrypt yescrypt ssha512 plain clear; do
  expect 0 "$u@example.com" "s3cret pw"
  grep -qx "USER=$u" "$tmp/out" || fail "$u: USER not exported"
  expect 3 "$u@example.com" "s3cRet pw"
  expect 3 "$u@example.com" "S3cret pw"
done
# the failure line names service, ip and user, never the password
TCPREMOTEIP=::ffff:192.0.2.7 expect 3 "md5@example.com" "wrongpass"
grep -q '^vchkpw: warn: auth-fail service=pop3 ip=192.0.2.7 user=md5@example.com reason=' "$tmp/err" ||
  fail "auth-fail log line: $(cat "$tmp/err")"
grep -q wrongpass "$tmp/err" && fail "password in the log"

# unknown user, unknown domain, empty hash, misuse, bad characters
expect 3 "nobody@example.com" "s3cret pw"
expect 3 "md5@nosuch.org" "s3cret pw"
expect 15 "nohash@example.com" "s3cret pw"
expect 12 "" "s3cret pw"
expect 13 "md5@example.com" ""
expect 20 "m d5@example.com" "s3cret pw"
expect 20 "md5:x@example.com" "s3cret pw"
expect 3 "../md5@example.com" "s3cret pw"
printf 'md5@example.com' > "$tmp/in"
"$VCHKPW" env 3< "$tmp/in" > /dev/null 2>&1; [ $? = 11 ] || fail "record without NUL: not 11"
"$VCHKPW" env > /dev/null 2>&1 3<&-; [ $? = 11 ] || fail "no fd 3: not 11"
"$VCHKPW" 3< "$tmp/in" > /dev/null 2>&1; [ $? = 11 ] || fail "no program: not 11"
head -c 600 /dev/zero > "$tmp/big"
"$VCHKPW" env 3< "$tmp/big" > /dev/null 2>&1; [ $? = 11 ] || fail "over-long input: not 11"

# alias domain, % and / separators, upper case, default domain
expect 0 "MD5@Alias.NET" "s3cret pw"
grep -qx "VPOPUSER=MD5@Alias.NET" "$tmp/out" || fail "VPOPUSER not the login as given"
expect 0 "md5%example.com" "s3cret pw"
expect 0 "md5/example.com" "s3cret pw"
expect 3 "md5" "s3cret pw"
echo example.com > "$VPOPMAILDIR/etc/defaultdomain"
expect 0 "md5" "s3cret pw"
VPOPMAIL_DOMAIN=limited.org expect 3 "md5" "s3cret pw"
rm "$VPOPMAILDIR/etc/defaultdomain"

# exported environment, Maildir auto-created
expect 0 "sha512@example.com" "s3cret pw"
grep -qx "HOME=$D/sha512" "$tmp/out" || fail "HOME"
grep -qx "SHELL=NOLOGIN" "$tmp/out" || fail "SHELL"
grep -qx "MAILDIR=$D/sha512/Maildir" "$tmp/out" || fail "MAILDIR"
grep -qx "MAILDIRQUOTA=52428800S,1000C" "$tmp/out" || fail "MAILDIRQUOTA"
grep -qx "VPOPUSER=sha512@example.com" "$tmp/out" || fail "VPOPUSER"
[ -d "$D/sha512/Maildir/new" ] && [ -d "$D/sha512/Maildir/cur" ] && [ -d "$D/sha512/Maildir/tmp" ] ||
  fail "Maildir not created"
[ -f "$D/sha512/lastauth" ] || fail "lastauth not written"
expect 0 "md5@example.com" "s3cret pw"
grep -q '^MAILDIRQUOTA=' "$tmp/out" && fail "MAILDIRQUOTA for NOQUOTA"
run md5@example.com "s3cret pw"
LD_LIBRARY_PATH=/nonexistent BASH_ENV=/x "$VCHKPW" env 3< "$tmp/in" > "$tmp/out" 2>&1
grep -q '^LD_LIBRARY_PATH=\|^BASH_ENV=' "$tmp/out" && fail "unsafe variables passed on"
# the program runs in HOME
printf 'md5@example.com\0s3cret pw\0' > "$tmp/in"
"$VCHKPW" pwd 3< "$tmp/in" > "$tmp/out" 2>/dev/null
[ "$(cat "$tmp/out")" = "$D/md5" ] || fail "not run in HOME: $(cat "$tmp/out")"
# the exit status of a failing exec is temporary
"$VCHKPW" /nonexistent/prog 3< "$tmp/in" > /dev/null 2>&1; [ $? = 111 ] || fail "exec failure not 111"

# SMTP: no chdir, no Maildir creation
export VCHKPW_SERVICE=smtp
[ -d "$D/noweb" ] && fail "fixture: noweb has a home"
expect 0 "noweb@example.com" "s3cret pw"
[ -d "$D/noweb" ] && fail "SMTP created a home"
grep -qx "HOME=$D/noweb" "$tmp/out" || fail "SMTP: HOME not exported"

# disable bits per service
for svc in pop3 imap smtp webmail; do
  export VCHKPW_SERVICE=$svc
  for u in nopop noimap nosmtp noweb; do
    case "$svc:$u" in
      pop3:nopop|imap:noimap|smtp:nosmtp|webmail:noweb) want=1 ;;
      *) want=0 ;;
    esac
    expect $want "$u@example.com" "s3cret pw"
  done
  # domain limits (disable_pop in .qmailadmin-limits), V_OVERRIDE wins
  [ $svc = pop3 ] && want=1 || want=0
  expect $want "bob@limited.org" "s3cret pw"
  expect 0 "boss@limited.org" "s3cret pw"
done
# vlimits.default applies to domains without .qmailadmin-limits
printf 'disable_imap\n' > "$VPOPMAILDIR/etc/vlimits.default"
VCHKPW_SERVICE=imap expect 1 "md5@example.com" "s3cret pw"
VCHKPW_SERVICE=imap expect 0 "bob@limited.org" "s3cret pw"
VCHKPW_SERVICE=pop3 expect 0 "md5@example.com" "s3cret pw"
rm "$VPOPMAILDIR/etc/vlimits.default"
VCHKPW_SERVICE=imap expect 0 "md5@example.com" "s3cret pw"
# a wrong password on a disabled account is still 3 (flags after password)
VCHKPW_SERVICE=pop3 expect 3 "nopop@example.com" "wrong"

# service from the port and argv[1]; webmail only from webmailips
unset VCHKPW_SERVICE
printf 'nopop@example.com\0s3cret pw\0' > "$tmp/in"
TCPLOCALPORT=110 "$VCHKPW" env 3< "$tmp/in" > /dev/null 2>&1; [ $? = 1 ] || fail "port 110 not pop3"
TCPLOCALPORT=143 "$VCHKPW" env 3< "$tmp/in" > /dev/null 2>&1; [ $? = 0 ] || fail "port 143 not imap"
TCPLOCALPORT=10110 "$VCHKPW" true 3< "$tmp/in" > /dev/null 2>&1; [ $? = 0 ] || fail "argv true not smtp"
TCPLOCALPORT=10110 "$VCHKPW" env 3< "$tmp/in" > /dev/null 2>&1; [ $? = 1 ] || fail "other port not pop3"
printf 'noweb@example.com\0s3cret pw\0' > "$tmp/in"
TCPLOCALPORT=110 TCPREMOTEIP=127.0.0.1 "$VCHKPW" env 3< "$tmp/in" > /dev/null 2>&1; [ $? = 0 ] ||
  fail "127.0.0.1 webmail without knob"
printf '127.0.0.1\n' > "$QMAILDIR/control/webmailips"
TCPLOCALPORT=110 TCPREMOTEIP=127.0.0.1 "$VCHKPW" env 3< "$tmp/in" > /dev/null 2>&1; [ $? = 1 ] ||
  fail "webmailips knob ignored"
rm "$QMAILDIR/control/webmailips"

# APOP (pop3) and CRAM-MD5 (smtp) with the stored clear password
ts='<1896.697170952@dbc.mtview.ca.us>'
apop=$(python3 -c 'import hashlib,sys; print(hashlib.md5((sys.argv[1]+"tanstaaf").encode()).hexdigest())' "$ts")
cram=$(python3 -c 'import hmac,sys; print(hmac.new(b"tanstaaf", sys.argv[1].encode(), "md5").hexdigest())' "$ts")
VCHKPW_SERVICE=pop3 expect 0 "clear@example.com" "$apop" "$ts"
VCHKPW_SERVICE=pop3 expect 3 "clear@example.com" "$cram" "$ts"
VCHKPW_SERVICE=smtp expect 0 "clear@example.com" "$cram" "$ts"
VCHKPW_SERVICE=smtp expect 3 "clear@example.com" "$apop" "$ts"
# with a timestamp present, a plain password still works (crypt fallback)
VCHKPW_SERVICE=pop3 expect 0 "clear@example.com" "s3cret pw" "$ts"
VCHKPW_SERVICE=smtp expect 0 "clear@example.com" "s3cret pw" "$ts"
# no clear password stored: no APOP
apop2=$(python3 -c 'import hashlib,sys; print(hashlib.md5((sys.argv[1]+"s3cret pw").encode()).hexdigest())' "$ts")
VCHKPW_SERVICE=pop3 expect 3 "md5@example.com" "$apop2" "$ts"

# rehash on login (knob rehashonlogin), to control/passwordscheme
export VCHKPW_SERVICE=pop3
expect 0 "plain@example.com" "s3cret pw"
grep -q '^plain:{PLAIN}' "$D/vpasswd" || fail "rehashed without the knob"
echo 1 > "$QMAILDIR/control/rehashonlogin"
echo sha256 > "$QMAILDIR/control/passwordscheme"
expect 0 "plain@example.com" "s3cret pw"
grep -q '^plain:\$5\$' "$D/vpasswd" || fail "not rehashed: $(grep ^plain: "$D/vpasswd")"
expect 0 "plain@example.com" "s3cret pw"
expect 3 "plain@example.com" "s3cret px"
expect 0 "clear@example.com" "s3cret pw"
grep -q '^clear:\$5\$.*:tanstaaf$' "$D/vpasswd" || fail "rehash lost the clear password"
rm "$QMAILDIR/control/rehashonlogin" "$QMAILDIR/control/passwordscheme"

# temporary failures: 111, never "unknown user"
mv "$D/vpasswd.cdb" "$D/vpasswd.cdb.off"
expect 111 "md5@example.com" "s3cret pw"
mkdir "$D/vpasswd.cdb"
expect 111 "md5@example.com" "s3cret pw"
rmdir "$D/vpasswd.cdb"
if [ "$uid" != 0 ]; then
  cp "$D/vpasswd.cdb.off" "$D/vpasswd.cdb"; chmod 000 "$D/vpasswd.cdb"
  expect 111 "md5@example.com" "s3cret pw"
  rm -f "$D/vpasswd.cdb"
fi
mv "$D/vpasswd.cdb.off" "$D/vpasswd.cdb"
expect 0 "md5@example.com" "s3cret pw"
mv "$QMAILDIR/users/cdb" "$QMAILDIR/users/cdb.off"
expect 111 "md5@example.com" "s3cret pw"
mkdir "$QMAILDIR/users/cdb"
expect 111 "md5@example.com" "s3cret pw"
rmdir "$QMAILDIR/users/cdb"
mv "$QMAILDIR/users/cdb.off" "$QMAILDIR/users/cdb"
# an unreadable limits file is temporary too
mkdir "$D/.qmailadmin-limits"
expect 111 "md5@example.com" "s3cret pw"
rmdir "$D/.qmailadmin-limits"
expect 0 "md5@example.com" "s3cret pw"

# As root: a domain owned by another uid makes vchkpw drop to it.
if [ "$uid" = 0 ] && id nobody > /dev/null 2>&1; then
  nuid=$(id -u nobody); ngid=$(id -g nobody)
  D3="$tmp/v3/dropped.org"
  mkdir -p "$D3"
  chmod 755 "$tmp" "$tmp/v3"
  python3 - "$QMAILDIR/users/cdb" "$uid" "$gid" "$D" "$D2" "$nuid" "$ngid" "$D3" <<'EOT' || fail "users/cdb fixture 2"
import os, subprocess, sys
path, uid, gid, d, d2, nuid, ngid, d3 = sys.argv[1:]
recs = [
    (b"!example.com-", f"example.com\0{uid}\0{gid}\0{d}\0-\0".encode()),
    (b"!dropped.org-", f"dropped.org\0{nuid}\0{ngid}\0{d3}\0-\0".encode()),
    (b"", b"-"),
]
inp = b"".join(b"+%d,%d:%s->%s\n" % (len(k), len(v), k, v) for k, v in recs) + b"\n"
subprocess.run(["python3", os.environ["QV_SRC"] + "/tests/lib/cdbmake.py", path], input=inp, check=True)
EOT
  echo "carol:{PLAIN}s3cret pw:1:0:carol:$D3/carol:NOQUOTA" > "$D3/vpasswd"
  mkcdb "$D3"
  chown "$nuid:$ngid" "$D3"
  printf 'carol@dropped.org\0s3cret pw\0' > "$tmp/in"
  VCHKPW_SERVICE=imap "$VCHKPW" id 3< "$tmp/in" > "$tmp/out" 2> "$tmp/err" || fail "drop login failed"
  grep -q "^uid=$nuid(.*gid=$ngid(" "$tmp/out" || fail "not dropped: $(cat "$tmp/out")"
  grep -q "groups=$ngid(" "$tmp/out" || fail "supplementary groups kept: $(cat "$tmp/out")"
  [ "$(stat -c %u "$D3/carol/Maildir/new")" = "$nuid" ] || fail "Maildir not owned by the domain uid"
fi
echo "t-vchkpw: ok"
exit 0
