# tests/t-vdomain.sh — vadddomain, vdeldomain, vaddaliasdomain, vdominfo,
# valias against a sandbox: files checked field by field against
# vpopmail's formats, outputs and exit codes as vpopmail's tools.
set -u
B=$QV_BUILD/bin
T=$(mktemp -d /tmp/qv-vdomain-XXXXXX)
trap 'rm -rf "$T"' EXIT
export QMAILDIR=$T VPOPMAILDIR=$T
unset VPOPMAIL_DOMAIN
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# expect_rc WANT CMD... : runs CMD, output in $T/out (stdout) $T/err
expect_rc() {
  want=$1; shift
  "$@" >"$T/out" 2>"$T/err"
  got=$?
  [ "$got" = "$want" ] || fail "$* exited $got, want $want: $(cat "$T/out" "$T/err")"
}
out_is() { [ "$(cat "$T/out")" = "$1" ] || fail "stdout: got [$(cat "$T/out")] want [$1]"; }
err_is() { [ "$(cat "$T/err")" = "$1" ] || fail "stderr: got [$(cat "$T/err")] want [$1]"; }
file_is() { [ "$(cat "$1")" = "$2" ] || fail "$1: got [$(cat "$1" 2>&1)] want [$2]"; }
mode_is() { m=$(stat -c %a "$1"); [ "$m" = "$2" ] || fail "$1 mode $m want $2"; }
# cdbget FILE KEY : prints the value with NULs as '|' (python3 reader)
cdbget() {
  python3 - "$1" "$2" <<'EOF'
import struct, sys
data = open(sys.argv[1], 'rb').read()
key = sys.argv[2].encode().replace(b'\\0', b'\0')
def h(k):
    x = 5381
    for c in k: x = ((x << 5) + x ^ c) & 0xffffffff
    return x
hv = h(key)
pos, n = struct.unpack('<II', data[(hv & 255) * 8:(hv & 255) * 8 + 8])
for i in range(n):
    slot = pos + ((hv >> 8) % n + i) % n * 8
    sh, rp = struct.unpack('<II', data[slot:slot + 8])
    if rp == 0: break
    if sh != hv: continue
    kl, vl = struct.unpack('<II', data[rp:rp + 8])
    if data[rp + 8:rp + 8 + kl] == key:
        print(data[rp + 8 + kl:rp + 8 + kl + vl].replace(b'\0', b'|').decode()); sys.exit(0)
sys.exit(1)
EOF
}
U=$(id -u); G=$(id -g)
D=$T/domains
# -i/-g ids: foreign ones when root can give files away, else our own
if [ "$U" = 0 ]; then IU=1234; IG=2345; else IU=$U; IG=$G; fi

# --- usage, bad names, missing ids ---
expect_rc 0 "$B/vadddomain"
grep -q '^vadddomain: usage: vadddomain \[options\] virtual_domain \[postmaster password\]$' "$T/out" || fail "vadddomain usage"
expect_rc 244 "$B/vadddomain" -- -bad.com pw
out_is "Error: Invalid domain name"
expect_rc 244 "$B/vadddomain" ab pw
expect_rc 244 "$B/vadddomain" bad_name.com pw
expect_rc 244 "$B/vadddomain" 'a/../b.com' pw
expect_rc 230 "$B/vadddomain" "$(printf 'a%.0s' $(seq 1 97)).com" pw
expect_rc 255 "$B/vadddomain" -u no-such-user-qv x.com pw
out_is "Error: user no-such-user-qv not found in /etc/passwd"
[ -e "$T/users/assign" ] && fail "a refused domain left users/assign"

# --- vadddomain: every file vpopmail writes ---
mkdir -p "$T/control"
printf 'localhost\nexample.com\n' > "$T/control/locals"
expect_rc 0 "$B/vadddomain" Example.COM secret
out_is ""
file_is "$T/users/assign" "+example.com-:example.com:$U:$G:$D/example.com:-::
."
mode_is "$T/users/assign" 644
[ "$(cdbget "$T/users/cdb" '!example.com-')" = "example.com|$U|$G|$D/example.com|-|" ] || fail "users/cdb record: $(cdbget "$T/users/cdb" '!example.com-')"
[ "$(cdbget "$T/users/cdb" '')" = "-" ] || fail "users/cdb wildcard record"
file_is "$T/control/rcpthosts" "example.com"
mode_is "$T/control/rcpthosts" 644
file_is "$T/control/virtualdomains" "example.com:example.com"
file_is "$T/control/locals" "localhost"
file_is "$D/example.com/.qmail-default" "| $T/bin/vdelivermail '' delete"
mode_is "$D/example.com/.qmail-default" 600
mode_is "$D/example.com" 750
[ "$(stat -c %u:%g "$D/example.com")" = "$U:$G" ] || fail "domain dir owner"
[ "$(sed -n 1p "$D/.dir-control")" = 1 ] || fail "domains .dir-control count"
file_is "$D/.dir-control" "1
0
3
0 0 0
61 61 61
0 2 4
0 0 0"
[ "$(wc -l < "$D/.dir-control")" = 8 ] || fail ".dir-control is not 8 lines"
[ -f "$D/example.com/vpasswd" ] && [ -f "$D/example.com/vpasswd.cdb" ] || fail "user store not created"
grep -q "^postmaster:[^:]*:1:0:Postmaster:$D/example.com/postmaster:NOQUOTA" "$D/example.com/vpasswd" \
  || fail "postmaster line: $(cat "$D/example.com/vpasswd")"
[ -d "$D/example.com/postmaster/Maildir/new" ] || fail "postmaster Maildir"
[ "$(sed -n 1p "$D/example.com/.dir-control")" = 1 ] || fail "user counter after postmaster"

# existing domain: refused before the password prompt
expect_rc 243 "$B/vadddomain" example.com </dev/null
out_is "Error: Domain already exists"

# sorted insert (key: last two labels first), knob qmaildefault
echo bounce-no-mailbox > "$T/control/qmaildefault"
expect_rc 0 "$B/vadddomain" mail.zeta.org pw
expect_rc 0 "$B/vadddomain" -i $IU -g $IG abc.net pw
rm -f "$T/control/qmaildefault"
file_is "$D/mail.zeta.org/.qmail-default" "| $T/bin/vdelivermail '' bounce-no-mailbox"
file_is "$T/users/assign" "+abc.net-:abc.net:$IU:$IG:$D/abc.net:-::
+example.com-:example.com:$U:$G:$D/example.com:-::
+mail.zeta.org-:mail.zeta.org:$U:$G:$D/mail.zeta.org:-::
."
file_is "$T/control/rcpthosts" "abc.net
example.com
mail.zeta.org"

# -e catch-all, -r random password, -d base dir, -O
expect_rc 0 "$B/vadddomain" -e bob catch.org pw
file_is "$D/catch.org/.qmail-default" "| $T/bin/vdelivermail '' $D/catch.org/bob"
expect_rc 0 "$B/vadddomain" -e someone@else.org catch2.org pw
file_is "$D/catch2.org/.qmail-default" "| $T/bin/vdelivermail '' someone@else.org"
expect_rc 0 "$B/vadddomain" -r rand.org
grep -Eq '^Random password: .{8}$' "$T/out" || fail "-r output: $(cat "$T/out")"
expect_rc 0 "$B/vadddomain" -r12 rand2.org
grep -Eq '^Random password: .{12}$' "$T/out" || fail "-r12 output: $(cat "$T/out")"
expect_rc 255 "$B/vadddomain" -r rand3.org pw
out_is "Error: don't use -r option when giving password on command line"
expect_rc 0 "$B/vadddomain" -q 5M quota.org pw
grep -q ":$D/quota.org/postmaster:5242880S\$" "$D/quota.org/vpasswd" || fail "-q: $(cat "$D/quota.org/vpasswd")"
mkdir "$T/base"
expect_rc 0 "$B/vadddomain" -d "$T/base" based.org pw
grep -q "^+based.org-:based.org:$U:$G:$T/base/domains/based.org:-::\$" "$T/users/assign" || fail "-d base dir"
[ -f "$T/base/domains/based.org/.qmail-default" ] || fail "-d: no .qmail-default"

# out-of-order assign: vpopmail's NOTICE and a full re-sort
{ grep -v '^\.$' "$T/users/assign" | sort -r; echo .; } > "$T/assign.new" && mv "$T/assign.new" "$T/users/assign"
expect_rc 0 "$B/vadddomain" sorted.org pw
grep -q '^NOTICE: Out of order entries found in .*/users/assign$' "$T/err" || fail "no NOTICE: $(cat "$T/err")"
grep -v '^\.$' "$T/users/assign" | awk -F: '{ d = substr($1, 2, length($1) - 2); n = split(d, p, "."); k = p[n-1] "." p[n]; for (i = 1; i < n - 1; i++) k = k "." p[i]; print k }' > "$T/keys"
sort -c "$T/keys" 2>/dev/null || LC_ALL=C sort -c "$T/keys" || fail "assign not re-sorted: $(cat "$T/users/assign")"
[ "$(tail -n 1 "$T/users/assign")" = "." ] || fail "assign lost its final ."

# --- vaddaliasdomain ---
expect_rc 0 "$B/vaddaliasdomain" example.com alias.net
expect_rc 0 "$B/vaddaliasdomain" alias2.net example.com
grep -qx "+alias.net-:example.com:$U:$G:$D/example.com:-::" "$T/users/assign" || fail "alias assign line"
grep -qx "+alias2.net-:example.com:$U:$G:$D/example.com:-::" "$T/users/assign" || fail "swapped alias assign line"
grep -qx "alias.net:alias.net" "$T/control/virtualdomains" || fail "alias virtualdomains"
grep -qx "alias.net" "$T/control/rcpthosts" || fail "alias rcpthosts"
[ -e "$D/alias.net" ] && fail "an alias domain got a directory"
[ "$(cdbget "$T/users/cdb" '!alias.net-')" = "example.com|$U|$G|$D/example.com|-|" ] || fail "alias users/cdb record"
expect_rc 255 "$B/vaddaliasdomain" example.com abc.net
out_is "Error: Both domains already exist, unable to create alias."
expect_rc 255 "$B/vaddaliasdomain" nx1.org nx2.org
out_is "Error: Neither 'nx1.org' or 'nx2.org'  exist, unable to create alias."
expect_rc 255 "$B/vaddaliasdomain" example.com example.com
[ "$(sed -n 1p "$T/out")" = "Error: real domain and alias domain are the same!" ] || fail "same-domain message"
expect_rc 255 "$B/vaddaliasdomain" example.com
expect_rc 244 "$B/vaddaliasdomain" example.com bad_alias.org
out_is "Error: Invalid domain name"

# --- vdominfo ---
expect_rc 0 "$B/vdominfo" alias.net
out_is "domain: example.com
uid:    $U
gid:    $G
dir:    $D/example.com
users:  1
alias: alias.net
alias: alias2.net"
expect_rc 0 "$B/vdominfo" -n -u -g -d -t -r abc.net
out_is "abc.net
$IU
$IG
$D/abc.net
1
abc.net"
expect_rc 0 "$B/vdominfo"
grep -qx "domain: alias.net (alias of example.com)" "$T/out" || fail "vdominfo alias line"
[ "$(grep -c '^$' "$T/out")" = "$(grep -c '^+' "$T/users/assign")" ] || fail "vdominfo: one blank line per entry"
expect_rc 245 "$B/vdominfo" nosuch.org
out_is "Invalid domain name"
printf '5\n0\n3\n0 0 0\n61 61 61\n0 2 4\n0 0 0\n\n' > "$D/abc.net/.dir-control"
expect_rc 0 "$B/vdominfo" -t abc.net
out_is "5"

# --- valias (file backend) ---
expect_rc 0 "$B/valias" -i bob@other.org info@example.com
expect_rc 0 "$B/valias" -i '&x@y.org' Info@Example.com
file_is "$D/example.com/.qmail-info" "bob@other.org
&x@y.org"
mode_is "$D/example.com/.qmail-info" 600
expect_rc 255 "$B/valias" -i '&x@y.org' info@example.com
err_is "Error: alias info@example.com -> &x@y.org already exists."
expect_rc 0 "$B/valias" -i "$D/example.com/first/Maildir/" first.last@example.com
[ -f "$D/example.com/.qmail-first:last" ] || fail "'.' not stored as ':'"
expect_rc 0 "$B/valias" info@example.com
out_is "info@example.com -> bob@other.org
info@example.com -> &x@y.org"
expect_rc 0 "$B/valias" -s example.com
out_is "first.last@example.com -> $D/example.com/first/Maildir/
info@example.com -> bob@other.org
info@example.com -> &x@y.org"
expect_rc 0 "$B/valias" -n example.com
out_is "first.last
info"
expect_rc 255 "$B/valias" -n info@example.com
err_is "Please enter domain name only."
expect_rc 255 "$B/valias" nobody@example.com
out_is ""
expect_rc 255 "$B/valias" x@nosuch.org
out_is "invalid domain, not in qmail assign file"
expect_rc 255 "$B/valias"
err_is "must supply alias email address"
expect_rc 254 "$B/valias" -Z info@example.com
expect_rc 0 "$B/valias" -d info@example.com
[ -e "$D/example.com/.qmail-info" ] && fail "valias -d left the file"
expect_rc 255 "$B/valias" -s mail.zeta.org
expect_rc 255 "$B/valias" -i x@y.org 'a/../../evil@example.com'
err_is "Error: Illegal username"
ls "$T"/evil* "$D"/.qmail-a* >/dev/null 2>&1 && fail "valias wrote outside the domain"

# --- vdeldomain ---
expect_rc 0 "$B/vdeldomain"
grep -q '^vdeldomain: usage:' "$T/out" || fail "vdeldomain usage"
expect_rc 0 "$B/vdeldomain" example.com
out_is "Warning: Alias domains exist:
   alias.net
   alias2.net
   use -f to force delete of domain and all aliases"
[ -d "$D/example.com" ] || fail "vdeldomain without -f deleted the domain"
expect_rc 0 "$B/vdeldomain" alias2.net
out_is ""
grep -q '^+alias2.net-' "$T/users/assign" && fail "alias not removed from assign"
grep -qx alias2.net "$T/control/rcpthosts" && fail "alias not removed from rcpthosts"
[ -d "$D/example.com" ] || fail "deleting an alias removed the real domain"
before=$(sed -n 1p "$D/.dir-control")
expect_rc 0 "$B/vdeldomain" -f example.com
out_is "Warning: Alias domains deleted:
   alias.net"
[ -e "$D/example.com" ] && fail "domain dir left"
grep -q 'example.com' "$T/users/assign" && fail "assign lines left"
grep -q 'alias.net' "$T/users/assign" && fail "alias assign line left"
grep -qx example.com "$T/control/rcpthosts" && fail "rcpthosts line left"
grep -qx example.com:example.com "$T/control/virtualdomains" && fail "virtualdomains line left"
[ "$(sed -n 1p "$D/.dir-control")" = $((before - 1)) ] || fail "domain counter not decremented"
cdbget "$T/users/cdb" '!example.com-' >/dev/null && fail "users/cdb still has example.com"
cdbget "$T/users/cdb" '!abc.net-' >/dev/null || fail "users/cdb lost abc.net"
expect_rc 245 "$B/vdeldomain" example.com
out_is "Error: Domain does not exist"

# --- domain buckets: the 100th domain of an owner goes to domains/0/ ---
cnt=$(sed -n 1p "$D/.dir-control")
{ echo 99; sed -n '2,$p' "$D/.dir-control"; } > "$T/dc" && cat "$T/dc" > "$D/.dir-control"
expect_rc 0 "$B/vadddomain" bucket.org pw
[ -f "$D/0/bucket.org/.qmail-default" ] || fail "100th domain not in bucket 0/"
grep -q "^+bucket.org-:bucket.org:$U:$G:$D/0/bucket.org:-::\$" "$T/users/assign" || fail "bucket assign line"
[ "$(sed -n 1p "$D/.dir-control")" = 100 ] && [ "$(sed -n 8p "$D/.dir-control")" = 0 ] || fail "bucket counter: $(cat "$D/.dir-control")"
expect_rc 0 "$B/vdeldomain" bucket.org
[ -e "$D/0/bucket.org" ] && fail "bucketed domain not removed"
[ "$(sed -n 1p "$D/.dir-control")" = 99 ] || fail "counter after bucket delete"
{ echo "$cnt"; sed -n '2,$p' "$D/.dir-control"; } > "$T/dc" && cat "$T/dc" > "$D/.dir-control"

# --- vmoddomlimits ---
expect_rc 0 "$B/vmoddomlimits" -P 10 -Q 100 -q 10M -g pi -p cd -l a abc.net
L=$D/abc.net/.qmailadmin-limits
mode_is "$L" 600
grep -qx 'maxpopaccounts: 10' "$L" || fail "limits maxpopaccounts"
grep -qx 'quota: 100' "$L" || fail "limits quota"
grep -qx 'default_quota: 10485760' "$L" || fail "limits default_quota"
grep -qx 'disable_pop' "$L" && grep -qx 'disable_imap' "$L" || fail "limits booleans"
grep -qx 'perm_account: 5' "$L" || fail "limits perm_account"
expect_rc 0 "$B/vmoddomlimits" -S abc.net
grep -qx 'Domain: abc.net' "$T/out" || fail "-S title"
grep -qx 'Max Pop Accounts: 10' "$T/out" || fail "-S max pop"
grep -qx 'Flags (for commandline): ip' "$T/out" || fail "-S flags: $(cat "$T/out")"
grep -qx '  pop account:            DENY_CREATE  ALLOW_MODIFY DENY_DELETE  ' "$T/out" || fail "-S perm line"
grep -qx 'Default User Quota: 10485760 bytes' "$T/out" || fail "-S default quota"
expect_rc 0 "$B/vmoddomlimits" -D abc.net
out_is "Limits deleted"
[ -e "$L" ] && fail "-D left the limits file"
expect_rc 0 "$B/vmoddomlimits" -S nosuch.org
out_is ""
expect_rc 255 "$B/vmoddomlimits" -d -S
out_is "Failed to read the vlimits.default file."
mkdir -p "$T/etc" && printf 'maxaliases 7\n' > "$T/etc/vlimits.default"
expect_rc 0 "$B/vmoddomlimits" -d -A 9
grep -qx 'maxaliases: 9' "$T/etc/vlimits.default" || fail "-d did not write vlimits.default"
expect_rc 255 "$B/vmoddomlimits" -d -D
[ "$(sed -n 1p "$T/out")" = "Default limits must not be deleted. If you really want to do this," ] || fail "-d -D warning"
expect_rc 255 "$B/vmoddomlimits"

# --- SIGHUP: only a qmail-send running under this QMAILDIR ---
# (A concurrent run of an older build may HUP any qmail-send on the host,
# so a wrongly signalled process fails only if it happens three times.)
alive() { st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null); [ -n "$st" ] && [ "$st" != Z ]; }
if command -v bash >/dev/null 2>&1; then
  E=$(mktemp -d /tmp/qv-elsewhere-XXXXXX)
  mkdir -p "$T/queue"
  bad=0
  for try in 1 2 3; do
    (cd "$T/queue" && exec bash -c 'exec -a qmail-send sleep 30') & p1=$!
    (cd "$E" && exec bash -c 'exec -a qmail-send sleep 30') & p2=$!
    (cd "$T/queue" && exec bash -c 'exec -a supervise sleep 30') & p3=$!
    sleep 0.5
    expect_rc 0 "$B/vaddaliasdomain" abc.net hup.org
    sleep 0.5
    alive $p1 && fail "qmail-send under QMAILDIR was not sent SIGHUP"
    alive $p3 || fail "a process not named qmail-send was signalled"
    alive $p2 || bad=$((bad + 1))
    kill $p1 $p2 $p3 2>/dev/null
    wait $p1 $p2 $p3 2>/dev/null
    expect_rc 0 "$B/vdeldomain" hup.org
    [ $bad -lt $try ] && break
  done
  [ $bad -ge 3 ] && fail "a qmail-send outside QMAILDIR was signalled"
  rmdir "$E"
fi

# --- rcpthosts 50-line rule, morercpthosts.cdb, -O ---
for i in $(seq 1 60); do echo "filler$i.test"; done | head -n $((50 - $(wc -l < "$T/control/rcpthosts"))) >> "$T/control/rcpthosts"
[ "$(wc -l < "$T/control/rcpthosts")" = 50 ] || fail "setup: rcpthosts not 50 lines"
expect_rc 0 "$B/vadddomain" more1.org pw
file_is "$T/control/morercpthosts" "more1.org"
[ "$(wc -l < "$T/control/rcpthosts")" = 50 ] || fail "rcpthosts grew past 50"
cdbget "$T/control/morercpthosts.cdb" more1.org >/dev/null || fail "morercpthosts.cdb missing more1.org"
expect_rc 0 "$B/vadddomain" -O more2.org pw
file_is "$T/control/morercpthosts" "more1.org
more2.org"
cdbget "$T/control/morercpthosts.cdb" more2.org >/dev/null && fail "-O rebuilt morercpthosts.cdb"
expect_rc 0 "$B/vdeldomain" more2.org
cdbget "$T/control/morercpthosts.cdb" more1.org >/dev/null || fail "cdb rebuilt without more1.org"
expect_rc 0 "$B/vdeldomain" more1.org
[ -e "$T/control/morercpthosts" ] && fail "empty morercpthosts not deleted"
[ -e "$T/control/morercpthosts.cdb" ] && fail "morercpthosts.cdb not deleted"

# --- users/cdb missing: vadddomain starts from scratch, vdominfo errors ---
rm -f "$T/users/assign"
expect_rc 255 "$B/vdominfo"
out_is "Can't get domain entries - can't read users/assign file"

[ $fails = 0 ] || { echo "$fails failures" >&2; exit 1; }
exit 0
