#!/bin/sh
# vdeliver / vdelivermail: the qmail-local interface and vpopmail's
# delivery rules (users, catch-all actions, loops, quota, programs,
# forwards), message bytes and file modes.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
. "$QV_SRC/tests/lib/vtree.sh"
V="$QV_BUILD/bin/vdelivermail"
D="$VPOPMAILDIR/domains/ex.com"
vt_domain ex.com al.org
vt_user ex.com bob
vt_user ex.com carol 1000S
vt_user ex.com dave
vt_user ex.com locked NOQUOTA 16
mkdir -p "$D/catch/Maildir/new" "$D/catch/Maildir/cur" "$D/catch/Maildir/tmp"

printf 'Subject: hi\nFrom: s@x.org\n\nbody line\n.\nlast\n' > "$tmp/msg"
# vd EXT HOST ACTION [MSGFILE]: runs vdelivermail as qmail-local does;
# sets $rc and $out
vd() {
  out=$(EXT="$1" HOST="$2" SENDER=s@x.org RPLINE="Return-Path: <s@x.org>
" DTLINE="Delivered-To: $2-$1@$2
" "$V" '' "$3" < "${4:-$tmp/msg}")
  rc=$?
}
count() { ls "$1" | wc -l | tr -d ' '; }
onefile() { ls "$1"/* 2>/dev/null | head -n 1; }

# 1. a user: exact bytes, mode 0600, ,S= size, nothing left in tmp/
vd bob ex.com bounce-no-mailbox
[ $rc = 0 ] || fail "bob: exit $rc ($out)"
[ "$(count "$D/bob/Maildir/new")" = 1 ] || fail "bob: one file in new/"
f=$(onefile "$D/bob/Maildir/new")
{ printf 'Return-Path: <s@x.org>\nDelivered-To: bob@ex.com\n'; cat "$tmp/msg"; } > "$tmp/want"
cmp -s "$f" "$tmp/want" || fail "bob: message bytes differ"
[ "$(stat -c %a "$f")" = 600 ] || fail "bob: mode $(stat -c %a "$f")"
size=$(stat -c %s "$f")
# ,W= is the size with CRLF line ends (LFs not after a CR count twice)
w=$((size + $(wc -l < "$f") - $(tr -cd '\r' < "$f" | wc -c)))
case "$f" in *",S=$size,W=$w") ;; *) fail "bob: name $f lacks ,S=$size,W=$w" ;; esac
[ "$(count "$D/bob/Maildir/tmp")" = 0 ] || fail "bob: tmp/ not empty"

# 2. alias domain and upper case: delivered as bob@ex.com
vd Bob AL.org bounce-no-mailbox
[ $rc = 0 ] || fail "alias domain: exit $rc ($out)"
[ "$(count "$D/bob/Maildir/new")" = 2 ] || fail "alias domain: not delivered"
grep -l '^Delivered-To: bob@ex.com$' "$D"/bob/Maildir/new/* | wc -l | grep -qx 2 || fail "alias domain: Delivered-To"

# 3. stdin not seekable (a pipe)
out=$(cat "$tmp/msg" | EXT=bob HOST=ex.com SENDER= RPLINE="Return-Path: <>
" "$V" '' delete); rc=$?
[ $rc = 0 ] || fail "pipe: exit $rc ($out)"
[ "$(count "$D/bob/Maildir/new")" = 3 ] || fail "pipe: not delivered"

# 4. loop
{ printf 'Delivered-To: BOB@ex.com\n'; cat "$tmp/msg"; } > "$tmp/loop"
vd bob ex.com delete "$tmp/loop"
[ $rc = 100 ] || fail "loop: exit $rc"
[ "$out" = "mail is looping" ] || fail "loop: text '$out'"
# a Delivered-To in the body is not a loop
{ printf 'Subject: x\n\nDelivered-To: bob@ex.com\n'; } > "$tmp/bodydt"
vd bob ex.com delete "$tmp/bodydt"
[ $rc = 0 ] || fail "body Delivered-To: exit $rc"

# 5. unknown user: bounce-no-mailbox, then the domain's .no-user.msg
vd nobody ex.com bounce-no-mailbox
[ $rc = 100 ] || fail "bounce-no-mailbox: exit $rc"
[ "$out" = "Sorry, no mailbox here by that name. (#5.1.1)" ] || fail "bounce text '$out'"
printf 'No such person here.\n' > "$D/.no-user.msg"
vd nobody ex.com bounce-no-mailbox
[ "$rc:$out" = "100:No such person here." ] || fail ".no-user.msg: $rc '$out'"
rm "$D/.no-user.msg"

# 6. delete
n=$(find "$VPOPMAILDIR" -path '*/new/*' -type f | wc -l)
vd nobody ex.com delete
[ $rc = 0 ] || fail "delete: exit $rc"
[ "$(find "$VPOPMAILDIR" -path '*/new/*' -type f | wc -l)" = "$n" ] || fail "delete delivered something"

# 7. path: a home directory with a Maildir
vd nobody ex.com "$D/catch"
[ $rc = 0 ] || fail "path: exit $rc ($out)"
[ "$out" = "user does not exist, but will deliver to $D/catch/" ] || fail "path text '$out'"
f=$(onefile "$D/catch/Maildir/new")
[ -n "$f" ] && grep -qx 'Delivered-To: nobody@ex.com' "$f" || fail "path: not delivered"

# 8. address, local: delivered directly with the forwarding hop's line
before=$(count "$D/dave/Maildir/new")
vd nobody ex.com dave@ex.com
[ $rc = 0 ] || fail "local forward: exit $rc ($out)"
[ "$(count "$D/dave/Maildir/new")" = $((before + 1)) ] || fail "local forward: not delivered"
f=$(onefile "$D/dave/Maildir/new")
{ printf 'Return-Path: <s@x.org>\nDelivered-To: dave@ex.com\nDelivered-To: nobody@ex.com\n'; cat "$tmp/msg"; } > "$tmp/want"
cmp -s "$f" "$tmp/want" || fail "local forward: bytes"
rm -f "$D"/dave/Maildir/new/*

# 9. address, remote: qmail-inject (here a stand-in) receives the message
vd nobody ex.com far@remote.example
[ $rc = 111 ] || fail "remote forward without qmail-inject: exit $rc"
cat > "$QMAILDIR/bin/qmail-inject" <<EOT
#!/bin/sh
echo "\$@" > "$tmp/inject.args"; cat > "$tmp/inject.msg"; exit 0
EOT
chmod 755 "$QMAILDIR/bin/qmail-inject"
vd nobody ex.com far@remote.example
[ $rc = 0 ] || fail "remote forward: exit $rc ($out)"
[ "$(cat "$tmp/inject.args")" = "-- far@remote.example" ] || fail "inject args: $(cat "$tmp/inject.args")"
{ printf 'Return-Path: <s@x.org>\nDelivered-To: nobody@ex.com\n'; cat "$tmp/msg"; } > "$tmp/want"
cmp -s "$tmp/inject.msg" "$tmp/want" || fail "inject: bytes"
printf '#!/bin/sh\ncat >/dev/null; exit 111\n' > "$QMAILDIR/bin/qmail-inject"
vd nobody ex.com far@remote.example
[ "$rc:$out" = "111:system error calling qmail-inject" ] || fail "inject failure: $rc '$out'"

# 10. quota: over -> 100 and vpopmail's text; under -> maildirsize grows
head -c 2000 /dev/zero | tr '\0' x > "$tmp/big"
vd carol ex.com delete "$tmp/big"
[ "$rc:$out" = "100:user is over quota" ] || fail "over quota: $rc '$out'"
[ "$(count "$D/carol/Maildir/new")" = 0 ] || fail "over quota: delivered anyway"
printf 'Mailbox full.\n' > "$VPOPMAILDIR/domains/.over-quota.msg"
vd carol ex.com delete "$tmp/big"
[ "$rc:$out" = "100:Mailbox full." ] || fail "global .over-quota.msg: $rc '$out'"
printf 'Domain says full.\n' > "$D/.over-quota.msg"
vd carol ex.com delete "$tmp/big"
[ "$rc:$out" = "100:Domain says full." ] || fail "domain .over-quota.msg: $rc '$out'"
vd carol ex.com delete
[ $rc = 0 ] || fail "under quota: exit $rc ($out)"
f=$(onefile "$D/carol/Maildir/new")
size=$(stat -c %s "$f")
[ "$(tail -n 1 "$D/carol/Maildir/maildirsize")" = "$size 1" ] || fail "maildirsize: $(cat "$D/carol/Maildir/maildirsize")"

# quota warning at 90%: once, from .quotawarn.msg, with Delivered-To and Date
printf 'Subject: quota\n\nYou are near your quota.\n' > "$D/.quotawarn.msg"
used=$(awk 'NR > 1 { s += $1 } END { print s }' "$D/carol/Maildir/maildirsize")
pad=$((1000 - used - 80 - 60))
{ printf 'Subject: pad\n\n'; head -c "$pad" /dev/zero | tr '\0' p; printf '\n'; } > "$tmp/pad"
vd carol ex.com delete "$tmp/pad"
[ $rc = 0 ] || fail "pad message: exit $rc ($out)"
w=$(grep -l '^You are near your quota.$' "$D"/carol/Maildir/new/* 2>/dev/null)
[ -n "$w" ] || fail "no quota warning at 90%: $(cat "$D/carol/Maildir/maildirsize")"
head -n 1 "$w" | grep -qx 'Delivered-To: carol@ex.com' || fail "warning Delivered-To"
sed -n 2p "$w" | grep -Eq '^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} \+0000$' || fail "warning Date: $(sed -n 2p "$w")"
[ -f "$D/carol/Maildir/quotawarn" ] || fail "no quotawarn timestamp"
vd carol ex.com delete "$tmp/big"
[ $rc = 100 ] || fail "over quota after warning: $rc"
[ "$(grep -l '^You are near your quota.$' "$D"/carol/Maildir/new/* | wc -l)" = 1 ] || fail "second warning within a day"

# 11. locked account
vd locked ex.com delete
[ "$rc:$out" = "100:vdelivermail: account is locked email bounced locked@ex.com" ] || fail "locked: $rc '$out'"

# 12. the user's .qmail and program exit codes
q="$D/dave/.qmail"
prog() { printf '%s\n' "$@" > "$q"; vd dave ex.com delete; }
prog '|cat > '"$tmp"'/prog.in' './Maildir/'
[ $rc = 0 ] || fail ".qmail program+maildir: exit $rc ($out)"
cmp -s "$tmp/prog.in" "$tmp/msg" || fail "program stdin is not the message"
[ "$(count "$D/dave/Maildir/new")" = 1 ] || fail ".qmail ./Maildir/ line"
grep -qx 'Delivered-To: dave@ex.com' "$(onefile "$D/dave/Maildir/new")" || fail ".qmail Delivered-To"
prog '# only a comment' '|exit 99' './Maildir/'
[ $rc = 99 ] || fail "exit 99: $rc"
[ "$(count "$D/dave/Maildir/new")" = 1 ] || fail "exit 99 did not stop processing"
for c in 100 64 65 70 76 77 78 112; do
  prog "|echo refused $c; exit $c"
  [ "$rc:$out" = "100:refused $c" ] || fail "program exit $c: $rc '$out'"
done
for c in 111 1 2 75; do
  prog "|exit $c"
  [ $rc = 111 ] || fail "program exit $c: $rc"
done
prog '|kill -9 $$'
[ $rc = 111 ] || fail "program killed: $rc"
prog '|exit 0'
[ $rc = 0 ] || fail "program exit 0: $rc"
prog './Maildir'
[ $rc = 111 ] || fail "mbox line: $rc"
case "$out" in "can't handle mbox delivery for "*) ;; *) fail "mbox text '$out'" ;; esac
rm -f "$q"

# 13. interface errors
out=$(EXT=bob HOST=ex.com "$V" only-one < "$tmp/msg"); rc=$?
[ "$rc:$out" = "111:vdelivermail: invalid syntax in .qmail-default file" ] || fail "argc: $rc '$out'"
out=$(env -u EXT HOST=ex.com "$V" '' delete < "$tmp/msg"); rc=$?
[ "$rc:$out" = "100:vdelivermail: no EXT environment varilable" ] || fail "no EXT: $rc '$out'"
out=$(env -u HOST EXT=bob "$V" '' delete < "$tmp/msg"); rc=$?
[ "$rc:$out" = "100:vdelivermail: no HOST environment varilable" ] || fail "no HOST: $rc '$out'"
vd ../bob ex.com delete
[ "$rc:$out" = "100:invalid username" ] || fail "bad user: $rc '$out'"
# an unreadable user store is temporary, never "no such user"
chmod 000 "$D/vpasswd.cdb"
if [ "$(id -u)" != 0 ]; then
  vd nobody ex.com bounce-no-mailbox
  [ $rc = 111 ] || fail "unreadable vpasswd.cdb: $rc '$out'"
fi
chmod 644 "$D/vpasswd.cdb"

# every file in every Maildir is 0600
bad=$(find "$VPOPMAILDIR" -path '*/Maildir/new/*' -type f ! -perm 600)
[ -z "$bad" ] || fail "modes: $bad"
echo "t-vdeliver: ok"
