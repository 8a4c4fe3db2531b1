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
    f=/home/vpopmail/bin/$p; [ -f "$f" ] || f=/var/qmail/bin/$p
    set -- $(stat -c '%a %U %G' "$f")
    [ "$1 $2 $3" = "6711 vpopmail vchkpw" ] || fail "$p is $1 $2 $3, want 6711 vpopmail vchkpw"
  done
  [ "$(stat -c %U /home/vpopmail/domains)" = vpopmail ] || fail "domains not owned by vpopmail"
  # The installed setuid vchkpw ignores QMAILDIR/VPOPMAILDIR: a caller's own
  # tree with a known password must not log in through it.
  mkdir -p "$tmp/evil/q/users" "$tmp/evil/v/domains/evil.test/u"
  d="$tmp/evil/v/domains/evil.test"
  printf '+evil.test-:evil.test:%s:%s:%s:-::\n.\n' "$(id -u nobody)" "$(id -g nobody)" "$d" \
    > "$tmp/evil/q/users/assign"
  printf 'u:{PLAIN}pw:1:0:u:%s/u:NOQUOTA\n' "$d" > "$d/vpasswd"
  QMAILDIR="$tmp/evil/q" VPOPMAILDIR="$tmp/evil/v" "$QV_BUILD/bin/qmail-newu"
  printf '+1,27:u->{PLAIN}pw:1:0:u:%s/u:NOQUOTA\n\n' "$d" | sed "s/+1,27/+1,$(( $(printf '{PLAIN}pw:1:0:u:%s/u:NOQUOTA' "$d" | wc -c) ))/" |
    python3 "$QV_SRC/tests/lib/cdbmake.py" "$d/vpasswd.cdb"
  cp "$QV_BUILD/bin/vchkpw" "$tmp/vchkpw-plain"
  chmod -R a+rX "$tmp"
  printf 'u@evil.test\0pw\0\0' > "$tmp/in"
  # control: the same tree logs in through the unprivileged build
  runuser -u nobody -- env QMAILDIR="$tmp/evil/q" VPOPMAILDIR="$tmp/evil/v" VCHKPW_SERVICE=smtp \
    "$tmp/vchkpw-plain" /bin/true 3< "$tmp/in" 2>/dev/null || fail "fixture does not log in (control)"
  runuser -u nobody -- env QMAILDIR="$tmp/evil/q" VPOPMAILDIR="$tmp/evil/v" VCHKPW_SERVICE=smtp \
    /home/vpopmail/bin/vchkpw /bin/true 3< "$tmp/in" 2>/dev/null
  rc=$?
  [ $rc != 0 ] || fail "setuid vchkpw honoured a caller's QMAILDIR/VPOPMAILDIR"
fi
exit 0
