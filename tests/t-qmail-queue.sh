#!/bin/sh
# qmail-queue: envelope parsing and qmail's exit codes, local delivery
# (users, domain .qmail files, -default, catch-all) with exit 0 only when
# the file is in new/, refusal of remote or undeliverable recipients
# before any copy is made, and a kill -9 loop: new/ never holds a
# partial message and an exit 0 always has its file.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; tail -n 5 "$tmp/log"; exit 1; }
. "$QV_SRC/tests/lib/vtree.sh"
Q="$QV_BUILD/bin/qmail-queue"
D="$VPOPMAILDIR/domains/ex.com"
vt_domain ex.com al.org
vt_user ex.com bob
vt_user ex.com carol 1000S
# the .qmail-default calls the installed vdelivermail; qmail-queue runs
# such a line in-process, so nothing needs to be installed here
printf 'Subject: q\n\nqueued body\n' > "$tmp/msg"
# qq ENVELOPE-PRINTF-FORMAT [MSGFILE]: sets $rc
qq() {
  printf "$1" > "$tmp/env"
  "$Q" < "${2:-$tmp/msg}" 1< "$tmp/env" 2>> "$tmp/log"
  rc=$?
}
count() { ls "$1" | wc -l | tr -d ' '; }
total() { find "$VPOPMAILDIR" -path '*/new/*' -type f | wc -l | tr -d ' '; }

# envelope format and limits
qq 'Xs@x.org\0Tbob@ex.com\0\0'; [ $rc = 91 ] || fail "bad first byte: $rc"
qq 'Fs@x.org\0Xbob@ex.com\0\0'; [ $rc = 91 ] || fail "bad recipient byte: $rc"
qq 'Fs@x.org\0Tbob@ex.com\0'; [ $rc = 54 ] || fail "no final NUL: $rc"
qq ''; [ $rc = 54 ] || fail "empty envelope: $rc"
long=$(head -c 1010 /dev/zero | tr '\0' a)
qq "Fs@x.org\0T$long@ex.com\0\0"; [ $rc = 11 ] || fail "long address: $rc"
[ "$(total)" = 0 ] || fail "something delivered by a bad envelope"
qq 'Fs@x.org\0\0'; [ $rc = 0 ] || fail "no recipients: $rc"

# a user: exit 0 with the file in new/, exact bytes
qq 'Fs@x.org\0Tbob@ex.com\0\0'
[ $rc = 0 ] || fail "bob: exit $rc: $(cat "$tmp/log")"
f=$(ls "$D"/bob/Maildir/new/* | head -n 1)
{ printf 'Return-Path: <s@x.org>\nDelivered-To: bob@ex.com\n'; cat "$tmp/msg"; } > "$tmp/want"
cmp -s "$f" "$tmp/want" || fail "bob: bytes"
[ "$(stat -c %a "$f")" = 600 ] || fail "bob: mode"
rm -f "$D"/bob/Maildir/new/*
# null sender, alias domain, upper case
qq 'F\0TBOB@Al.Org\0\0'
[ $rc = 0 ] || fail "null sender: $rc"
grep -qx 'Return-Path: <>' "$D"/bob/Maildir/new/* || fail "null sender Return-Path"
grep -qx 'Delivered-To: bob@ex.com' "$D"/bob/Maildir/new/* || fail "alias domain Delivered-To"
rm -f "$D"/bob/Maildir/new/*
# a sender with a newline cannot add a header line
qq 'Fs@x.org>\nX-Injected: yes\0Tbob@ex.com\0\0'
[ $rc = 0 ] || fail "odd sender: $rc"
grep -q '^X-Injected' "$D"/bob/Maildir/new/* && fail "sender injected a header"
grep -qx 'Return-Path: <s@x.org>?X-Injected: yes>' "$D"/bob/Maildir/new/* || fail "odd sender Return-Path"
rm -f "$D"/bob/Maildir/new/*

# domain .qmail files: '.' stored as ':', forwards, -default, programs
printf 'bob@ex.com\n' > "$D/.qmail-john:doe"
qq 'Fs@x.org\0Tjohn.doe@ex.com\0\0'
[ $rc = 0 ] || fail "alias file: $rc"
f=$(ls "$D"/bob/Maildir/new/* | head -n 1)
{ printf 'Return-Path: <s@x.org>\nDelivered-To: bob@ex.com\nDelivered-To: john.doe@ex.com\n'; cat "$tmp/msg"; } > "$tmp/want"
cmp -s "$f" "$tmp/want" || fail "alias file: bytes"
rm -f "$D"/bob/Maildir/new/*
printf '|echo "$DEFAULT $EXT $HOST $SENDER" > %s/list.env; cat > %s/list.msg\n' "$tmp" "$tmp" > "$D/.qmail-list-default"
qq 'Fs@x.org\0Tlist-Foo@ex.com\0\0'
[ $rc = 0 ] || fail "-default program: $rc"
[ "$(cat "$tmp/list.env")" = "foo list-foo ex.com s@x.org" ] || fail "-default env: $(cat "$tmp/list.env")"
cmp -s "$tmp/list.msg" "$tmp/msg" || fail "-default program stdin"
printf '|exit 100\n' > "$D/.qmail-refuse"
# a program runs once, in the delivery pass: its refusal refuses the message
qq 'Fs@x.org\0Trefuse@ex.com\0\0'; [ $rc = 31 ] || fail "program refusal: $rc"
printf '|exit 111\n' > "$D/.qmail-defer"
qq 'Fs@x.org\0Tdefer@ex.com\0\0'; [ $rc = 71 ] || fail "program deferral: $rc"
printf 'loopb@ex.com\n' > "$D/.qmail-loopa"
printf 'loopa@ex.com\n' > "$D/.qmail-loopb"
qq 'Fs@x.org\0Tloopa@ex.com\0\0'; [ $rc = 31 ] || fail "forwarding loop: $rc"
printf 'broken@\n' > "$D/.qmail-broken"
qq 'Fs@x.org\0Tbroken@ex.com\0\0'; [ $rc = 31 ] || fail "invalid forward address: $rc"

# unknown users and mixtures: nothing is delivered unless all can be
n=$(total)
qq 'Fs@x.org\0Tnobody@ex.com\0\0'; [ $rc = 31 ] || fail "unknown user: $rc"
qq 'Fs@x.org\0Tbob@ex.com\0Tnobody@ex.com\0\0'; [ $rc = 31 ] || fail "bob+unknown: $rc"
qq 'Fs@x.org\0Tfar@remote.example\0\0'; [ $rc = 71 ] || fail "remote: $rc"
qq 'Fs@x.org\0Tbob@ex.com\0Tfar@remote.example\0\0'; [ $rc = 71 ] || fail "bob+remote: $rc"
printf 'far@remote.example\n' > "$D/.qmail-fwd"
qq 'Fs@x.org\0Tbob@ex.com\0Tfwd@ex.com\0\0'; [ $rc = 71 ] || fail "bob+remote forward: $rc"
head -c 2000 /dev/zero | tr '\0' x > "$tmp/big"
qq 'Fs@x.org\0Tbob@ex.com\0Tcarol@ex.com\0\0' "$tmp/big"; [ $rc = 31 ] || fail "over quota: $rc"
qq 'Fs@x.org\0Tbob@@\0\0'; [ $rc != 0 ] || fail "bad domain accepted"
# with notqmail's custom-error pipe on fd 6: exit 82 and the reason
printf 'Fs@x.org\0Tnobody@ex.com\0\0' > "$tmp/env"
out=$("$Q" < "$tmp/msg" 6>&1 1< "$tmp/env" 2>/dev/null; echo " rc=$?")
[ "$out" = "Dnobody@ex.com: Sorry, no mailbox here by that name. (#5.1.1) rc=82" ] || fail "custom error: '$out'"
printf 'Fs@x.org\0Tfar@remote.example\0\0' > "$tmp/env"
out=$("$Q" < "$tmp/msg" 6>&1 1< "$tmp/env" 2>/dev/null; echo " rc=$?")
[ "$out" = "Zfar@remote.example: remote delivery is not available yet (#4.3.0) rc=82" ] || fail "custom temp error: '$out'"
[ "$(total)" = "$n" ] || fail "a refused message left a copy"
grep -q 'deferred to=far@remote.example' "$tmp/log" || fail "no log line for the remote recipient"
printf '| %s/bin/vdelivermail '"''"' delete\n' "$VPOPMAILDIR" > "$D/.qmail-default"
qq 'Fs@x.org\0Tnobody@ex.com\0\0'; [ $rc = 0 ] || fail "catch-all delete: $rc"
qq 'Fs@x.org\0Tbob@ex.com\0Tcarol@ex.com\0\0'; [ $rc = 0 ] || fail "two users: $rc"
[ "$(count "$D/bob/Maildir/new")" = 1 ] && [ "$(count "$D/carol/Maildir/new")" = 1 ] || fail "two users: files"
rm -f "$D"/bob/Maildir/new/* "$D"/carol/Maildir/new/*
# no .qmail-default at all: users still get mail, others bounce
mv "$D/.qmail-default" "$tmp/qd"
qq 'Fs@x.org\0Tbob@ex.com\0\0'; [ $rc = 0 ] || fail "no .qmail-default, user: $rc"
qq 'Fs@x.org\0Tnobody@ex.com\0\0'; [ $rc = 31 ] || fail "no .qmail-default, unknown: $rc"
mv "$tmp/qd" "$D/.qmail-default"
rm -f "$D"/bob/Maildir/new/*

# kill -9 at random moments: never a partial file in new/, and an exit 0
# always has its file
head -c 3000000 /dev/urandom | od -An -tx1 | head -c 4000000 > "$tmp/huge"
{ printf 'Return-Path: <s@x.org>\nDelivered-To: bob@ex.com\n'; cat "$tmp/huge"; } > "$tmp/want"
# larger than qmail-queue's 1 MB memory copy: moved to disk, delivered intact
qq 'Fs@x.org\0Tbob@ex.com\0\0' "$tmp/huge"; [ $rc = 0 ] || fail "4 MB message: $rc"
cmp -s "$(ls "$D"/bob/Maildir/new/* | head -n 1)" "$tmp/want" || fail "4 MB message: bytes"
rm -f "$D"/bob/Maildir/new/*
printf 'Fs@x.org\0Tbob@ex.com\0\0' > "$tmp/env"
ok=0; killed=0; i=0
while [ $i -lt 50 ]; do
  i=$((i + 1))
  before=$(count "$D/bob/Maildir/new")
  "$Q" < "$tmp/huge" 1< "$tmp/env" 2>/dev/null &
  pid=$!
  us=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
  sleep "$(printf "0.%03d" $((us % 25)))"
  kill -9 $pid 2>/dev/null
  wait $pid; rc=$?
  after=$(count "$D/bob/Maildir/new")
  if [ $rc = 0 ]; then
    ok=$((ok + 1))
    [ "$after" = $((before + 1)) ] || fail "kill loop: exit 0 without a new file"
  else
    [ $rc = 137 ] || fail "kill loop: exit $rc"
    killed=$((killed + 1))
    [ "$after" -le $((before + 1)) ] || fail "kill loop: more than one file"
  fi
  for f in "$D"/bob/Maildir/new/*; do
    [ -e "$f" ] || continue
    cmp -s "$f" "$tmp/want" || fail "kill loop: partial or wrong file $f"
  done
done
echo "kill loop: $ok completed, $killed killed"
[ $killed -gt 0 ] || echo "note: no run was killed (machine too fast)"
echo "t-qmail-queue: ok"
