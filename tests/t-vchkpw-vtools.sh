#!/bin/sh
# vchkpw against a tree made by the admin tools: vadddomain, vadduser
# (default scheme and control/passwordscheme), vpasswd, vmoduser -p
# (disable POP), vaddaliasdomain. What a freshly installed site sees.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"; exit 1; }
B="$QV_BUILD/bin"
for t in vadddomain vadduser vpasswd vmoduser vaddaliasdomain vchkpw; do
  [ -x "$B/$t" ] || fail "$t not built"
done
export QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v"
unset VPOPMAIL_DOMAIN TCPLOCALPORT TCPREMOTEIP
mkdir -p "$QMAILDIR/users" "$QMAILDIR/control" "$VPOPMAILDIR/domains" "$VPOPMAILDIR/bin"
"$B/vadddomain" ex.com pmpass > "$tmp/err" 2>&1 || fail vadddomain
"$B/vaddaliasdomain" ex.com al.org > "$tmp/err" 2>&1 || fail vaddaliasdomain
"$B/vadduser" bob@ex.com 'bob pw' > "$tmp/err" 2>&1 || fail vadduser
echo md5 > "$QMAILDIR/control/passwordscheme"
"$B/vadduser" carol@ex.com 'carol pw' > "$tmp/err" 2>&1 || fail "vadduser carol"
rm "$QMAILDIR/control/passwordscheme"
grep -q '^bob:\$6\$' "$VPOPMAILDIR/domains/ex.com/vpasswd" || fail "bob not SHA-512-crypt"
grep -q '^carol:\$1\$' "$VPOPMAILDIR/domains/ex.com/vpasswd" || fail "carol not MD5-crypt"

expect() { # expect RC SERVICE LOGIN PASS
  printf '%s\0%s\0' "$3" "$4" > "$tmp/in"
  VCHKPW_SERVICE=$2 "$B/vchkpw" env 3< "$tmp/in" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  [ "$rc" = "$1" ] || fail "$3 ($2): exit $rc, want $1"
}
expect 0 pop3 bob@ex.com 'bob pw'
grep -qx "HOME=$VPOPMAILDIR/domains/ex.com/bob" "$tmp/out" || fail "HOME of bob"
expect 0 imap carol@ex.com 'carol pw'
expect 0 pop3 postmaster@ex.com pmpass
expect 0 smtp bob@al.org 'bob pw'
expect 3 pop3 bob@ex.com 'carol pw'
expect 3 pop3 dave@ex.com 'bob pw'
"$B/vpasswd" bob@ex.com 'new pw' > "$tmp/err" 2>&1 || fail vpasswd
expect 3 pop3 bob@ex.com 'bob pw'
expect 0 pop3 bob@ex.com 'new pw'
"$B/vmoduser" -p bob@ex.com > "$tmp/err" 2>&1 || fail "vmoduser -p"
expect 1 pop3 bob@ex.com 'new pw'
expect 0 imap bob@ex.com 'new pw'
echo "t-vchkpw-vtools: ok"
