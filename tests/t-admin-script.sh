# tests/t-admin-script.sh — a provisioning script written against
# vpopmail's tools (three domains, 50 users with quotas and comments,
# aliases, an alias domain, password changes, POP disabled for one user,
# a user and a domain deleted) runs unchanged on qvmail; the resulting
# tree is checked field by field against vpopmail's formats, logins are
# checked through vchkpw, and the error cases' outputs and exit codes.
set -u
: "${QV_BUILD:?}" "${QV_SRC:?}"
T=$(mktemp -d /tmp/qv-admin-XXXXXX)
trap 'rm -rf "$T"' EXIT
export QMAILDIR=$T VPOPMAILDIR=$T
unset VPOPMAIL_DOMAIN VCHKPW_SERVICE
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
U=$(id -u); G=$(id -g)
D=$T/domains

# ---- the administrator's script, exactly as written for vpopmail ----
cat > "$T/provision.sh" <<'EOF'
#!/bin/sh
set -e
for d in alpha.test beta.test gamma.test; do
  vadddomain "$d" 'PostPw-1'
done
i=1
while [ $i -le 50 ]; do
  case $((i % 3)) in
    0) d=alpha.test ;;
    1) d=beta.test ;;
    *) d=gamma.test ;;
  esac
  vadduser -q $((i * 1048576)) -c "Test User $i" "user$i@$d" "Pass-$i"
  i=$((i + 1))
done
valias -i user3@alpha.test info@alpha.test
valias -i someone@example.org info@alpha.test
valias -i user1@beta.test sales.team@beta.test
vaddaliasdomain alpha.test alpha-alias.test
vpasswd user6@alpha.test 'NewPass-6'
vpasswd user1@beta.test 'NewPass-1'
vmoduser -p user4@beta.test
vdeluser user9@alpha.test
vdeldomain gamma.test
echo provisioned
EOF
PATH="$QV_BUILD/bin:$PATH" sh "$T/provision.sh" > "$T/out" 2> "$T/err" || fail "provisioning script failed: $(cat "$T/out" "$T/err")"
[ "$(tail -n 1 "$T/out")" = provisioned ] || fail "script output: $(cat "$T/out")"

# ---- qmail side ----
want_assign="+alpha-alias.test-:alpha.test:$U:$G:$D/alpha.test:-::
+alpha.test-:alpha.test:$U:$G:$D/alpha.test:-::
+beta.test-:beta.test:$U:$G:$D/beta.test:-::
."
[ "$(cat "$T/users/assign")" = "$want_assign" ] || fail "users/assign: $(cat "$T/users/assign")"
python3 "$QV_SRC/tests/lib/cdbdump.py" "$T/users/cdb" > "$T/cdb.txt" || fail "users/cdb unreadable"
grep -aq "^+18,[0-9]*:!alpha-alias.test-->alpha.test" "$T/cdb.txt" || fail "users/cdb alias record: $(cat "$T/cdb.txt")"
grep -q '^+0,1:->-$' "$T/cdb.txt" || fail "users/cdb wildcard record"
[ "$(grep -c '^+' "$T/cdb.txt")" = 4 ] || fail "users/cdb record count"
[ "$(cat "$T/control/rcpthosts")" = "alpha-alias.test
alpha.test
beta.test" ] || fail "rcpthosts: $(cat "$T/control/rcpthosts")"
[ "$(cat "$T/control/virtualdomains")" = "alpha-alias.test:alpha-alias.test
alpha.test:alpha.test
beta.test:beta.test" ] || fail "virtualdomains: $(cat "$T/control/virtualdomains")"
[ -e "$D/gamma.test" ] && fail "gamma.test tree left"
[ "$(sed -n 1p "$D/.dir-control")" = 2 ] || fail "domain counter: $(sed -n 1p "$D/.dir-control")"

# ---- vpasswd, field by field ----
# check_users DOMAIN RESIDUE: every userN with N % 3 == RESIDUE (but user9)
check_users() {
  dom=$1; res=$2; vp=$D/$dom/vpasswd
  n=0
  i=1
  while [ $i -le 50 ]; do
    if [ $((i % 3)) = "$res" ] && [ $i != 9 ]; then
      n=$((n + 1))
      line=$(grep "^user$i:" "$vp") || { fail "$dom: user$i missing"; i=$((i + 1)); continue; }
      IFS=: read -r name hash uid gid gecos dir quota extra <<EOL
$line
EOL
      flags=0
      [ "$dom/$i" = beta.test/4 ] && flags=2
      [ "$name" = "user$i" ] || fail "$dom user$i: name $name"
      case $hash in '$'*) ;; *) fail "$dom user$i: hash $hash" ;; esac
      [ "$uid" = 1 ] || fail "$dom user$i: uid field $uid"
      [ "$gid" = $flags ] || fail "$dom user$i: gid/flags field $gid want $flags"
      [ "$gecos" = "Test User $i" ] || fail "$dom user$i: gecos $gecos"
      [ "$dir" = "$D/$dom/user$i" ] || fail "$dom user$i: dir $dir"
      [ "$quota" = "$((i * 1048576))S" ] || fail "$dom user$i: quota $quota"
      for sub in cur new tmp; do
        [ -d "$dir/Maildir/$sub" ] || fail "$dom user$i: no Maildir/$sub"
      done
      [ "$(stat -c %a "$dir")" = 750 ] || fail "$dom user$i: home mode"
    fi
    i=$((i + 1))
  done
  grep -q "^postmaster:\\\$[^:]*:1:0:Postmaster:$D/$dom/postmaster:NOQUOTA\$" "$vp" || fail "$dom: postmaster line"
  [ "$(wc -l < "$vp")" = $((n + 1)) ] || fail "$dom: $(wc -l < "$vp") vpasswd lines, want $((n + 1))"
  cut -d: -f1 "$vp" > "$T/names"
  LC_ALL=C sort -c "$T/names" 2>/dev/null || fail "$dom: vpasswd not sorted by name"
  # vpasswd.cdb = vpasswd: key the name, value the rest of the line
  python3 "$QV_SRC/tests/lib/cdbdump.py" "$D/$dom/vpasswd.cdb" | sed -n 's/^+[0-9]*,[0-9]*:\([^-]*\)->\(.*\)$/\1:\2/p' | LC_ALL=C sort > "$T/cdbl"
  LC_ALL=C sort "$vp" > "$T/vpl"
  cmp -s "$T/cdbl" "$T/vpl" || fail "$dom: vpasswd.cdb differs from vpasswd"
}
check_users alpha.test 0
check_users beta.test 1
[ -e "$D/alpha.test/user9" ] && fail "user9 home left"
grep -q '^user9:' "$D/alpha.test/vpasswd" && fail "user9 still in vpasswd"

# ---- aliases ----
[ "$(cat "$D/alpha.test/.qmail-info")" = "user3@alpha.test
someone@example.org" ] || fail ".qmail-info: $(cat "$D/alpha.test/.qmail-info")"
[ "$(stat -c %a "$D/alpha.test/.qmail-info")" = 600 ] || fail ".qmail-info mode"
[ "$(cat "$D/beta.test/.qmail-sales:team")" = "user1@beta.test" ] || fail ".qmail-sales:team"
[ "$(cat "$D/alpha.test/.qmail-default")" = "| $T/bin/vdelivermail '' delete" ] || fail ".qmail-default"
[ "$(PATH="$QV_BUILD/bin:$PATH" valias alpha.test)" = "info@alpha.test -> user3@alpha.test
info@alpha.test -> someone@example.org" ] || fail "valias listing"

# ---- logins (vchkpw, the checkpassword interface) ----
login() { # login WANT USER PASS [SERVICE]
  printf '%s\0%s\0' "$2" "$3" > "$T/in"
  VCHKPW_SERVICE=${4:-pop3} "$QV_BUILD/bin/vchkpw" true 3< "$T/in" > /dev/null 2>&1
  rc=$?
  [ "$rc" = "$1" ] || fail "login $2 / $3 (${4:-pop3}): exit $rc want $1"
}
login 0 user6@alpha.test NewPass-6
login 0 user6@alpha-alias.test NewPass-6
login 3 user6@alpha.test Pass-6
login 0 user1@beta.test NewPass-1
login 0 user3@alpha.test Pass-3
login 0 postmaster@beta.test PostPw-1
login 1 user4@beta.test Pass-4 pop3
login 0 user4@beta.test Pass-4 imap
login 3 user2@gamma.test Pass-2
login 3 user9@alpha.test Pass-9

# ---- error cases: outputs and exit codes ----
run() { # run WANT_RC WANT_STDOUT CMD...
  want=$1; wout=$2; shift 2
  out=$(PATH="$QV_BUILD/bin:$PATH" "$@" 2>/dev/null </dev/null)
  rc=$?
  [ "$rc" = "$want" ] || fail "$*: exit $rc want $want"
  [ "$out" = "$wout" ] || fail "$*: stdout [$out] want [$wout]"
}
run 243 "Error: Domain already exists" vadddomain alpha.test pw
run 245 "Error: Domain does not exist" vdeldomain gamma.test
run 244 "Error: Invalid domain name" vadddomain bad_domain.test pw
run 245 "Invalid domain name" vdominfo gamma.test
run 255 "Error: User already exists" vadduser user3@alpha.test pw
run 246 "Error: User does not exist" vdeluser user9@alpha.test
run 255 "Error: Both domains already exist, unable to create alias." vaddaliasdomain alpha.test beta.test
run 255 "invalid domain, not in qmail assign file" valias x@gamma.test
run 0 "Warning: Alias domains exist:
   alpha-alias.test
   use -f to force delete of domain and all aliases" vdeldomain alpha.test
[ -d "$D/alpha.test" ] || fail "vdeldomain without -f removed alpha.test"

[ $fails = 0 ] || { echo "$fails failures" >&2; exit 1; }
exit 0
