#!/bin/sh
# qmail-newu and qmail-newmrh write the records qmail's programs write.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export QMAILDIR="$tmp/q"
mkdir -p "$QMAILDIR/users" "$QMAILDIR/control"
cat > "$QMAILDIR/users/assign" <<'EOT'
+example.com-:example.com:89:89:/home/vpopmail/domains/example.com:-::
+alias.org-:example.com:89:89:/home/vpopmail/domains/example.com:-::
=joe:joe:1001:1001:/home/joe:::
.
EOT
"$QV_BUILD/bin/qmail-newu" || fail "qmail-newu failed"
python3 "$QV_SRC/tests/lib/cdbdump.py" "$QMAILDIR/users/cdb" > "$tmp/dump"
grep -aqF '+13,55:!example.com-->example.com' "$tmp/dump" || { cat "$tmp/dump"; fail "example.com record"; }
grep -aqF '+11,55:!alias.org-->example.com' "$tmp/dump" || fail "alias.org record"
grep -aq '^+5,25:' "$tmp/dump" || fail "=joe record (key !joe NUL)"
grep -aqF '+0,1:->-' "$tmp/dump" || fail "wildcard-characters record"
# a malformed assign (no final '.') leaves users/cdb as it was
cp "$QMAILDIR/users/cdb" "$tmp/cdb.before"
printf '+x.org-:x.org:1:1:/x:-::\n' > "$QMAILDIR/users/assign"
if "$QV_BUILD/bin/qmail-newu" 2>/dev/null; then fail "accepted assign without '.'"; fi
cmp -s "$QMAILDIR/users/cdb" "$tmp/cdb.before" || fail "users/cdb changed after a refused assign"

printf 'Example.NET\n# comment\nexample.info  \n' > "$QMAILDIR/control/morercpthosts"
"$QV_BUILD/bin/qmail-newmrh" || fail "qmail-newmrh failed"
python3 "$QV_SRC/tests/lib/cdbdump.py" "$QMAILDIR/control/morercpthosts.cdb" > "$tmp/mrh"
grep -qxF '+11,0:example.net->' "$tmp/mrh" || { cat "$tmp/mrh"; fail "morercpthosts.cdb lower-cased record"; }
grep -qxF '+12,0:example.info->' "$tmp/mrh" || fail "trailing blanks kept"
exit 0
