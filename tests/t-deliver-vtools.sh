#!/bin/sh
# Delivery into a tree made by the admin tools (vadddomain, vadduser,
# valias, vaddaliasdomain, vsetuserquota, vmoduser): what a migrated or
# freshly installed site looks like to qmail-queue and vdelivermail.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/log" 2>/dev/null | tail -n 5; exit 1; }
export QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v"
mkdir -p "$QMAILDIR/users" "$QMAILDIR/control" "$VPOPMAILDIR/domains" "$VPOPMAILDIR/bin"
B="$QV_BUILD/bin"
cp "$B/vdelivermail" "$VPOPMAILDIR/bin/"
"$B/vadddomain" ex.com pmpass > /dev/null || fail vadddomain
"$B/vaddaliasdomain" ex.com al.org > /dev/null || fail vaddaliasdomain
"$B/vadddomain" -e bob@ex.com catch.org pmpass > /dev/null || fail "vadddomain -e"
"$B/vadduser" bob@ex.com pw > /dev/null || fail vadduser
"$B/vadduser" carol@ex.com pw > /dev/null || fail "vadduser carol"
"$B/vadduser" eve@ex.com pw > /dev/null || fail "vadduser eve"
"$B/vsetuserquota" carol@ex.com 1000 > /dev/null || fail vsetuserquota
"$B/vmoduser" -b eve@ex.com > /dev/null || fail "vmoduser -b"
"$B/valias" -i bob@ex.com sales@ex.com > /dev/null || fail valias
D="$VPOPMAILDIR/domains/ex.com"
home() { "$B/vuserinfo" -d "$1" 2>/dev/null || echo "$D/${1%@*}"; }
newcount() { ls "$(home "$1")/Maildir/new" | wc -l | tr -d ' '; }
printf 'Subject: t\n\nvtools tree\n' > "$tmp/msg"
qq() {
  printf "$1" > "$tmp/env"
  "$B/qmail-queue" < "${2:-$tmp/msg}" 1< "$tmp/env" 2>> "$tmp/log"
  rc=$?
}

qq 'Fs@x.org\0Tbob@ex.com\0Tsales@ex.com\0Tpostmaster@al.org\0Tanyone@catch.org\0\0'
[ $rc = 0 ] || fail "qmail-queue: exit $rc"
[ "$(newcount bob@ex.com)" = 3 ] || fail "bob: $(newcount bob@ex.com) files (direct, alias, catch-all)"
[ "$(newcount postmaster@ex.com)" = 1 ] || fail "postmaster via alias domain"
grep -lx 'Delivered-To: sales@ex.com' "$(home bob@ex.com)"/Maildir/new/* > /dev/null || fail "alias hop line"
grep -lx 'Delivered-To: anyone@catch.org' "$(home bob@ex.com)"/Maildir/new/* > /dev/null || fail "catch-all hop line"

# the .qmail-default vadddomain wrote works with vdelivermail too
out=$(EXT=nobody HOST=ex.com SENDER=s@x.org "$VPOPMAILDIR/bin/vdelivermail" '' bounce-no-mailbox < "$tmp/msg"); rc=$?
[ "$rc:$out" = "100:Sorry, no mailbox here by that name. (#5.1.1)" ] || fail "vdelivermail unknown: $rc '$out'"
qq 'Fs@x.org\0Tnobody@ex.com\0\0'
case $rc in 0|31) ;; *) fail "unknown user with the default catch-all: $rc" ;; esac

# quota set by vsetuserquota: over -> refused, maildirsize kept in step
head -c 2000 /dev/zero | tr '\0' x > "$tmp/big"
qq 'Fs@x.org\0Tcarol@ex.com\0\0' "$tmp/big"; [ $rc = 31 ] || fail "over quota: $rc"
qq 'Fs@x.org\0Tcarol@ex.com\0\0'; [ $rc = 0 ] || fail "carol under quota: $rc"
f=$(ls "$(home carol@ex.com)"/Maildir/new/*)
[ "$(tail -n 1 "$(home carol@ex.com)/Maildir/maildirsize")" = "$(stat -c %s "$f") 1" ] || fail "maildirsize"
# vmoduser -b: the account bounces
qq 'Fs@x.org\0Teve@ex.com\0\0'; [ $rc = 31 ] || fail "bounce flag: $rc"
bad=$(find "$VPOPMAILDIR" -path '*/Maildir/new/*' -type f ! -perm 600)
[ -z "$bad" ] || fail "modes: $bad"
echo "t-deliver-vtools: ok"
