#!/bin/sh
# make setup: a sandbox install (no users, no setuid bits, no chown) and,
# as root, a real install into the conf-* locations with owners and modes.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
b=$(basename "$QV_BUILD")
[ "$b" = build-san ] && san="SAN=1" || san=""

make -s -C "$QV_SRC" setup $san QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v" >"$tmp/log" 2>&1 ||
  { cat "$tmp/log"; fail "sandbox setup failed"; }
for d in q/bin q/control q/users v/bin v/domains v/etc; do
  [ -d "$tmp/$d" ] || fail "missing $d"
done
[ "$(cat "$tmp/q/users/assign")" = "." ] || fail "users/assign is not '.'"
if find "$tmp" -perm -4000 | grep -q .; then fail "setuid bit in a sandbox"; fi
for p in $(make -s -C "$QV_SRC" --no-print-directory print-vpopmail-progs); do
  [ -x "$tmp/v/bin/$p" ] || fail "$p not installed in VPOPMAILDIR/bin"
done
for p in $(make -s -C "$QV_SRC" --no-print-directory print-qmail-progs); do
  [ -x "$tmp/q/bin/$p" ] || fail "$p not installed in QMAILDIR/bin"
done
# a second run over an existing tree keeps it
echo keep > "$tmp/q/control/me"
make -s -C "$QV_SRC" setup $san QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v" >"$tmp/log" 2>&1 || fail "re-run failed"
[ "$(cat "$tmp/q/control/me")" = keep ] || fail "control/me overwritten"

if [ "$(id -u)" = 0 ] && [ -n "$QV_REAL_SETUP" ]; then
  # QV_REAL_SETUP=1 (CI): install into /var/qmail and /home/vpopmail.
  make -s -C "$QV_SRC" setup $san >"$tmp/log" 2>&1 || { cat "$tmp/log"; fail "real setup failed"; }
  id vpopmail >/dev/null 2>&1 || fail "user vpopmail not created"
  for p in $(make -s -C "$QV_SRC" --no-print-directory print-setuid-progs); do
    set -- $(stat -c '%a %U' /home/vpopmail/bin/"$p")
    [ "$1 $2" = "4711 vpopmail" ] || fail "$p is $1 $2, want 4711 vpopmail"
  done
  [ "$(stat -c %U /home/vpopmail/domains)" = vpopmail ] || fail "domains not owned by vpopmail"
fi
exit 0
