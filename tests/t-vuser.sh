#!/bin/sh
# vpopmail's user tools in a sandbox: vadduser vdeluser vpasswd vmoduser
# vuserinfo vsetuserquota vmkpasswd vconvert vchangepw, success and error
# paths with vpopmail's messages and exit codes, and a vpopmail 5.4-style
# domain written by hand (7- and 8-field lines, $1$ and DES hashes,
# hashed user dirs) modified by the tools and still in vpopmail's format.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/out" ] && sed 's/^/  out: /' "$tmp/out"; exit 1; }
B="$QV_BUILD/bin"
export QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v" TZ=UTC
unset VPOPMAIL_DOMAIN TCPLOCALPORT TCPREMOTEIP
uid=$(id -u); gid=$(id -g)
D="$VPOPMAILDIR/domains/example.com"
O="$VPOPMAILDIR/domains/old.org"
mkdir -p "$QMAILDIR/users" "$QMAILDIR/control" "$VPOPMAILDIR/etc" "$VPOPMAILDIR/domains"

# the domains: made by vadddomain (which adds postmaster through
# vuser_add); old.org's files are then replaced by a hand-written 5.4 tree
if [ -x "$B/vadddomain" ]; then
  "$B/vadddomain" example.com pmpass > "$tmp/out" 2>&1 || fail "vadddomain example.com"
  "$B/vadddomain" old.org pmpass > "$tmp/out" 2>&1 || fail "vadddomain old.org"
  [ -d "$D/postmaster/Maildir" ] && [ -d "$O" ] || fail "vadddomain tree"
  rm -rf "$O/postmaster" "$O/vpasswd" "$O/vpasswd.cdb" "$O/.dir-control"
  pm="postmaster "
else
  mkdir -p "$D" "$O"
  cat > "$QMAILDIR/users/assign" <<EOT
+example.com-:example.com:$uid:$gid:$D:-::
+old.org-:old.org:$uid:$gid:$O:-::
.
EOT
  "$B/qmail-newu" || fail "qmail-newu"
  pm=
fi
echo "| $VPOPMAILDIR/bin/vdelivermail '' delete" > "$D/.qmail-default"

H0='$1$abcdefgh$Ezy/7289va/MMoQrtJIRM1'
# run TOOL ARGS... : $rc, stdout+stderr in $tmp/out
run() { "$B/$@" > "$tmp/out" 2>&1; rc=$?; }
expect() { want=$1; shift; run "$@"; [ "$rc" = "$want" ] || fail "$*: exit $rc, want $want"; }
has() { grep -qxF -- "$1" "$tmp/out" || fail "output lacks '$1'"; }
contains() { grep -qF -- "$1" "$tmp/out" || fail "output lacks '$1'"; }
# login USER PASS -> vchkpw exit status
login() {
  printf '%s\0%s\0' "$1" "$2" > "$tmp/in"
  VCHKPW_SERVICE=pop3 "$B/vchkpw" true 3< "$tmp/in" > /dev/null 2>&1
}
line() { grep "^$1:" "$2/vpasswd"; }

# ---- vadduser
expect 255 vadduser; has "vadduser: usage: [options] email_address [passwd]"
expect 0 vadduser bob@example.com 's3cret pw'
[ -d "$D/bob/Maildir/new" ] && [ -d "$D/bob/Maildir/cur" ] && [ -d "$D/bob/Maildir/tmp" ] || fail "no Maildir"
[ "$(stat -c %a "$D/bob")" = 750 ] || fail "home mode"
[ "$(stat -c %a "$D/vpasswd")" = 600 ] || fail "vpasswd mode"
[ "$(cat "$D/bob/lastauth")" = 0.0.0.0 ] || fail "lastauth"
line bob "$D" | grep -q "^bob:\\\$6\\\$[^:]*:1:0:bob:$D/bob:NOQUOTA\$" || fail "vpasswd line: $(line bob "$D")"
login bob@example.com 's3cret pw' || fail "bob cannot log in"
login bob@example.com 'wrong' && fail "wrong password logs in"
expect 255 vadduser bob@example.com x; has "Error: User already exists"
expect 255 vadduser Bob@Example.COM x; has "Error: User already exists"
expect 255 vadduser joe@nowhere.org x; has "Error: Domain does not exist"
expect 255 vadduser joe x
has "You did not use a full email address for the user name"
has "Only full email addresses should be used"
echo example.com > "$VPOPMAILDIR/etc/defaultdomain"
expect 0 vadduser joe pw1; [ -d "$D/joe" ] || fail "default domain"
expect 255 'vadduser' 'j(e@example.com' x; has "Error: Illegal username"
expect 255 vadduser j@example.com x; has "Error: Illegal username"
expect 231 vadduser abcdefghijabcdefghijabcdefghijabc@example.com x; has "Error: user name too long"
expect 0 vadduser -c 'Carol C' -q 50M carol@example.com pw
line carol "$D" | grep -q ":1:0:Carol C:$D/carol:52428800S\$" || fail "carol: $(line carol "$D")"
[ "$(head -n 1 "$D/carol/Maildir/maildirsize")" = 52428800S ] || fail "maildirsize"
expect 0 vadduser -e '$1$abcdefgh$Ezy/7289va/MMoQrtJIRM1' dave@example.com
line dave "$D" | grep -q '^dave:\$1\$abcdefgh\$Ezy/7289va/MMoQrtJIRM1:1:0:' || fail "-e"
login dave@example.com 's3cret pw' || fail "-e hash does not log in"
expect 0 vadduser -n nopw@example.com
line nopw "$D" | grep -q '^nopw::1:0:' || fail "-n"
expect 0 vadduser -r12 rnd@example.com
pw=$(sed -n 's/^Random password: //p' "$tmp/out"); [ ${#pw} = 12 ] || fail "-r12: '$pw'"
login rnd@example.com "$pw" || fail "random password does not log in"
expect 255 vadduser -r rnd2@example.com given
has "Error: don't use -r option when giving password on command line"
expect 0 vadduser -s ss@example.com pw; has "Warning: The -s option has been temporarily disabled."
expect 255 vadduser nopass@example.com < /dev/null; contains "Error: No password entered"
# clear passwords only with the knob
echo 1 > "$QMAILDIR/control/clearpasswords"
expect 0 vadduser clr@example.com plain1
line clr "$D" | grep -q ":NOQUOTA:plain1\$" || fail "clear copy: $(line clr "$D")"
rm "$QMAILDIR/control/clearpasswords"
# default quota from the domain limits
printf 'default_quota: 1048576\ndefault_maxmsgcount: 100\n' > "$D/.qmailadmin-limits"
expect 0 vadduser lim@example.com pw
line lim "$D" | grep -q ':1048576S,100C$' || fail "default quota: $(line lim "$D")"
rm "$D/.qmailadmin-limits"
# sorted insert
names=$(cut -d: -f1 "$D/vpasswd" | tr '\n' ' ')
[ "$names" = "bob carol clr dave joe lim nopw ${pm}rnd ss " ] || fail "order: $names"

# ---- vpasswd
expect 255 vpasswd; has "vpasswd: usage: [options] email_address [password]"
expect 0 vpasswd bob@example.com 'n3w pw'
login bob@example.com 'n3w pw' || fail "vpasswd: new password"
login bob@example.com 's3cret pw' && fail "vpasswd: old password still works"
expect 255 vpasswd ghost@example.com x; has "Error: Illegal username"
expect 0 vpasswd -r joe@example.com
pw=$(sed -n 's/^Random password: //p' "$tmp/out"); [ ${#pw} = 8 ] || fail "vpasswd -r: '$pw'"
login joe@example.com "$pw" || fail "vpasswd -r does not log in"

# ---- vmoduser: every flag bit, -x, fields
expect 255 vmoduser; has "vmoduser: usage: [options] email_addr or domain (for each user in domain)"
expect 0 vmoduser -h
for f in d:1 p:2 w:4 i:8 b:16 r:32 u:64 0:128 1:256 2:512 3:1024 s:2048 a:4096 o:8192 f:16384 F:32768 m:262144; do
  opt=${f%%:*}; bit=${f#*:}
  expect 0 vmoduser -x -$opt ss@example.com
  [ "$(line ss "$D" | cut -d: -f4)" = "$bit" ] || fail "vmoduser -$opt: $(line ss "$D")"
done
expect 0 vmoduser -x -S -E ss@example.com
if [ "$uid" = 0 ]; then want=196608; else want=0; fi
[ "$(line ss "$D" | cut -d: -f4)" = "$want" ] || fail "vmoduser -S -E: $(line ss "$D")"
expect 0 vmoduser -x -p -s ss@example.com
expect 0 vmoduser -i ss@example.com
[ "$(line ss "$D" | cut -d: -f4)" = 2058 ] || fail "flags OR: $(line ss "$D")"
expect 0 vmoduser -x ss@example.com
[ "$(line ss "$D" | cut -d: -f4)" = 0 ] || fail "-x"
expect 0 vmoduser -c 'New: Name' -D /else/where -q 10m -e XXhash ss@example.com
[ "$(line ss "$D")" = "ss:XXhash:1:0:New Name:/else/where:10485760S" ] || fail "fields: $(line ss "$D")"
expect 0 vmoduser -C 'cl3ar' dave@example.com
login dave@example.com cl3ar || fail "vmoduser -C"
expect 255 vmoduser -p ghost@example.com; has "no such user ghost@example.com"
expect 0 vmoduser -u example.com
for u in bob carol dave; do
  [ $(( $(line $u "$D" | cut -d: -f4) & 64 )) = 64 ] || fail "domain-wide -u: $u"
done
expect 0 vmoduser -x example.com
expect 0 vmoduser -p nosuch.org

# ---- vpasswd refused for NO_PASSWD_CHNG, also domain-wide
expect 0 vmoduser -d carol@example.com
expect 255 vpasswd carol@example.com x; has "Error: Illegal username"
expect 0 vmoduser -x carol@example.com
echo disable_password_changing > "$D/.qmailadmin-limits"
expect 255 vpasswd carol@example.com x
rm "$D/.qmailadmin-limits"

# ---- vsetuserquota
expect 255 vsetuserquota bob@example.com
expect 0 vsetuserquota bob@example.com 5m
[ "$(line bob "$D" | cut -d: -f7)" = 5242880S ] || fail "vsetuserquota: $(line bob "$D")"
expect 0 vsetuserquota bob@example.com 10m,1000c
[ "$(line bob "$D" | cut -d: -f7)" = 10485760S,1000C ] || fail "vsetuserquota count"
expect 0 vsetuserquota bob@example.com NOQUOTA
[ "$(line bob "$D" | cut -d: -f7)" = NOQUOTA ] || fail "NOQUOTA"
[ -f "$D/bob/Maildir/maildirsize" ] && fail "NOQUOTA keeps maildirsize"
expect 246 vsetuserquota ghost@example.com 1M; has "Error: User does not exist"
expect 245 vsetuserquota ghost@nosuch.org 1M; has "Error: Domain does not exist"
expect 245 vsetuserquota nosuch.org 1M
expect 227 vsetuserquota bob@example.com 99999999999999999999M; has "Error: quota too long"
expect 0 vsetuserquota example.com 2M
[ "$(cut -d: -f7 "$D/vpasswd" | sort -u)" = 2097152S ] || { cat "$D/vpasswd"; fail "domain-wide quota"; }

# ---- vuserinfo
expect 255 vuserinfo; has "vuserinfo: usage: [options] email_address"
expect 255 vuserinfo ghost@example.com; has "no such user ghost@example.com"
expect 0 vmoduser -x -p -c Bob -e '$1$abcdefgh$Ezy/7289va/MMoQrtJIRM1' -q 50M bob@example.com
echo 192.0.2.1 > "$D/bob/lastauth"; touch -d '2024-01-01 10:00:00' "$D/bob/lastauth"
expect 0 vuserinfo bob@example.com
cat > "$tmp/want" <<EOT
name:   bob
passwd: \$1\$abcdefgh\$Ezy/7289va/MMoQrtJIRM1
comment/gecos: Bob
uid:    1
gid:    2
flags:  2
gecos: Bob
limits:
        pop access closed
dir:       $D/bob
quota:     52428800S
usage:     0%
last auth: Mon Jan  1 10:00:00 2024
last auth ip: 192.0.2.1
EOT
cmp -s "$tmp/out" "$tmp/want" || { diff "$tmp/want" "$tmp/out"; fail "vuserinfo layout"; }
# the clear-password line appears as on a clear-passwd build of vpopmail
grep -q '^clear passwd:' "$tmp/out" && fail "clear passwd line without clearpasswords"
echo 1 > "$QMAILDIR/control/clearpasswords"
expect 0 vuserinfo bob@example.com; has "clear passwd: "
rm -f "$QMAILDIR/control/clearpasswords"
expect 0 vuserinfo -q -n -d -u -g -c -p bob@example.com
printf '%s\n' bob '$1$abcdefgh$Ezy/7289va/MMoQrtJIRM1' 1 2 Bob "$D/bob" 52428800S > "$tmp/want"
cmp -s "$tmp/out" "$tmp/want" || { diff "$tmp/want" "$tmp/out"; fail "vuserinfo fields"; }
expect 0 vuserinfo -Q bob@example.com; has "0%"
expect 0 vuserinfo -Q nopw@example.com; has "0%"
expect 0 vsetuserquota nopw@example.com NOQUOTA
expect 0 vuserinfo -Q nopw@example.com; has "NOQUOTA"
# lastauth when never logged in; domain-wide flag marked (*)
printf 0.0.0.0 > "$D/carol/lastauth"; touch -d '2024-01-01 10:00:00' "$D/carol/lastauth"
echo disable_imap > "$D/.qmailadmin-limits"
expect 0 vuserinfo -l carol@example.com
printf 'account created: Mon Jan  1 10:00:00 2024\nlast auth: Never logged in\n' > "$tmp/want"
cmp -s "$tmp/out" "$tmp/want" || { diff "$tmp/want" "$tmp/out"; fail "vuserinfo -l"; }
expect 0 vuserinfo bob@example.com
has "        imap access closed (*)"; has "        * = set by domain-wide limits"; has "flags:  10"
rm "$D/.qmailadmin-limits"
expect 0 vuserinfo -n -D example.com
[ "$(grep -c '^------------------------------------------$' "$tmp/out")" = "$(wc -l < "$D/vpasswd")" ] || fail "-D separators"
[ "$(grep -v -- '^---' "$tmp/out" | tr '\n' ' ')" = "$(cut -d: -f1 "$D/vpasswd" | tr '\n' ' ')" ] || fail "-D order"
expect 0 vuserinfo -D nosuch.org

# ---- vdeluser
expect 255 vdeluser; has "vdeluser: usage: [options] email_address"
expect 0 vdeluser carol@example.com
[ -d "$D/carol" ] && fail "home not removed"
line carol "$D" && fail "record not removed"
login carol@example.com pw; [ $? = 3 ] || fail "deleted user not refused"
expect 246 vdeluser carol@example.com; has "Error: User does not exist"
expect 245 vdeluser carol@nosuch.org; has "Error: Domain does not exist"
echo "| $VPOPMAILDIR/bin/vdelivermail '' dave@example.com" > "$D/.qmail-default"
expect 201 vdeluser dave@example.com; has "Error: can't delete catchall account"
echo "| $VPOPMAILDIR/bin/vdelivermail '' $D/dave" > "$D/.qmail-default"
expect 201 vdeluser dave@example.com
echo "| $VPOPMAILDIR/bin/vdelivermail '' delete" > "$D/.qmail-default"
expect 0 vdeluser dave@example.com

# ---- vmkpasswd after a hand edit
echo "hand:\$1\$abcdefgh\$Ezy/7289va/MMoQrtJIRM1:1:0:hand:$D/hand:NOQUOTA" >> "$D/vpasswd"
login hand@example.com 's3cret pw' && fail "hand edit visible before vmkpasswd"
expect 255 vmkpasswd
expect 0 vmkpasswd EXAMPLE.com
login hand@example.com 's3cret pw' || fail "vmkpasswd"
expect 245 vmkpasswd nosuch.org

# ---- vconvert
expect 255 vconvert; has "vconvert: usage"
expect 255 vconvert -c -m example.com; grep -q "MySQL backend is not in this build" "$tmp/out" || fail "-m message"
printf 'imp1:$1$abcdefgh$Ezy/7289va/MMoQrtJIRM1\nimp2 abTk71qDTQKMY\n' > "$tmp/users"
expect 0 vconvert -p "$tmp/users" -c example.com; has "converting example.com done"
login imp1@example.com 's3cret pw' || fail "vconvert -p \$1\$"
login imp2@example.com 's3cret pw' || fail "vconvert -p DES"

# ---- vchangepw
printf 'joe@example.com\n%s\nfresh1\nfresh1\n' "$pw" | "$B/vchangepw" > "$tmp/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "vchangepw: exit $rc"
has "Password successfully changed."
login joe@example.com fresh1 || fail "vchangepw: new password"
printf 'joe@example.com\nbadpass9\n' | "$B/vchangepw" > "$tmp/out" 2>&1; rc=$?
[ $rc = 3 ] || fail "vchangepw wrong password: exit $rc"
grep -q "Error: authentication failed!" "$tmp/out" || fail "vchangepw message"
grep -q badpass9 "$tmp/out" && fail "password in output"

# ---- concurrent adds serialise on .vpasswd.lock: none is lost
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do "$B/vadduser" -e "$H0" "par$i@example.com" > /dev/null 2>&1 & done
wait
[ "$(grep -c '^par' "$D/vpasswd")" = 12 ] || fail "concurrent adds lost users"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do login "par$i@example.com" 's3cret pw' || fail "par$i not in vpasswd.cdb"; done
grep "^par" "$D/vpasswd" | cut -d: -f1 > "$tmp/names"; LC_ALL=C sort -c "$tmp/names" || fail "vpasswd not sorted after concurrent adds"

# ---- a vpopmail 5.4-style domain written by hand
H='$1$abcdefgh$Ezy/7289va/MMoQrtJIRM1'
mkdir -p "$O/postmaster/Maildir/new" "$O/postmaster/Maildir/cur" "$O/postmaster/Maildir/tmp" \
         "$O/0/user100/Maildir/new" "$O/0/user100/Maildir/cur" "$O/0/user100/Maildir/tmp"
cat > "$O/vpasswd" <<EOT
postmaster:$H:1:0:Postmaster:$O/postmaster:NOQUOTA:s3cret pw
user100:abTk71qDTQKMY:1:0:user100:$O/0/user100:52428800S
zed:abTk71qDTQKMY:1:2:Zed:$O/zed:NOQUOTA
EOT
printf '100\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n0\n' > "$O/.dir-control"
cp "$O/vpasswd" "$tmp/orig"
expect 0 vmkpasswd old.org
login postmaster@old.org 's3cret pw' || fail "5.4 \$1\$ login"
login user100@old.org 's3cret pw' || fail "5.4 DES login"
expect 0 vadduser -e "$H" newbie@old.org
expect 0 vsetuserquota user100@old.org 10M
expect 0 vmoduser -i zed@old.org
cat > "$tmp/want" <<EOT
newbie:$H:1:0:newbie:$O/0/newbie:NOQUOTA
postmaster:$H:1:0:Postmaster:$O/postmaster:NOQUOTA:s3cret pw
user100:abTk71qDTQKMY:1:0:user100:$O/0/user100:10485760S
zed:abTk71qDTQKMY:1:10:Zed:$O/zed:NOQUOTA
EOT
cmp -s "$O/vpasswd" "$tmp/want" || { diff "$tmp/want" "$O/vpasswd"; fail "5.4 round trip"; }
[ "$(head -n 1 "$O/.dir-control")" = 101 ] || fail ".dir-control count"
expect 0 vdeluser user100@old.org
[ "$(cat "$O/.dir_control_free")" = 0 ] || fail ".dir_control_free"
[ -d "$O/0/user100" ] && fail "user100 home left"
login postmaster@old.org 's3cret pw' || fail "postmaster after changes"
expect 0 vuserinfo -C postmaster@old.org; has "s3cret pw"
echo "ok"
