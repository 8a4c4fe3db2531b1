#!/bin/sh
# tests/t-smtpd-rcpt.sh — recipient validation at RCPT through the
# privileged helper qmail-rcptcheck, on a sandbox made with the vtools:
# unknown users get 550 5.1.1, aliases, alias domains, user-ext,
# .qmail-x-default files and catch-alls are accepted exactly when the
# delivery dry run delivers; over quota 552; a user added while the
# session runs is accepted at once; a missing or dying helper gives 451;
# chkuser's CHKUSER_START, CHKUSER_RCPTLIMIT, CHKUSER_WRONGRCPTLIMIT,
# CHKUSER_MBXQUOTA,
# the error delay (control/chkusererrordelay).
: "${QV_BUILD:?}"
B=$QV_BUILD/bin
T=$(mktemp -d) || exit 111
trap '[ -n "$KEEP" ] || rm -rf "$T"' EXIT
chmod 755 "$T"
export QMAILDIR="$T/q" VPOPMAILDIR="$T/v"
mkdir -p "$QMAILDIR/bin" "$QMAILDIR/control" "$QMAILDIR/users" "$VPOPMAILDIR/bin" "$VPOPMAILDIR/domains"
cp "$B/qmail-rcptcheck" "$QMAILDIR/bin/"
cp "$B/vdelivermail" "$VPOPMAILDIR/bin/"
fail=0
die() { echo "FAIL $*"; exit 1; }
"$B/vadddomain" example.org secret > /dev/null || die vadddomain
"$B/vadduser" joe@example.org pw > /dev/null || die vadduser
"$B/vadduser" full@example.org pw > /dev/null || die "vadduser full"
"$B/vsetuserquota" full@example.org 1000 > /dev/null || die vsetuserquota
"$B/vadduser" half@example.org pw > /dev/null || die "vadduser half"
"$B/vsetuserquota" half@example.org 1000 > /dev/null || die "vsetuserquota half"
"$B/valias" -i joe@example.org info@example.org > /dev/null || die valias
"$B/valias" -i someone@remote.example far@example.org > /dev/null || die "valias remote"
"$B/vaddaliasdomain" example.org alias.example > /dev/null || die vaddaliasdomain
"$B/vadddomain" -e joe@example.org catch.example pw > /dev/null || die "vadddomain -e"
"$B/vadddomain" -e someone@remote.example remote.catch pw > /dev/null || die "vadddomain -e remote"
"$B/vadddomain" delete.example pw > /dev/null || die "vadddomain delete"
grep -q "'' delete" "$VPOPMAILDIR/domains/delete.example/.qmail-default" ||
  printf '| %s/bin/vdelivermail '"''"' delete\n' "$VPOPMAILDIR" > "$VPOPMAILDIR/domains/delete.example/.qmail-default"
# example.org bounces unknown users (vpopmail 5.4); delete.example keeps
# vadddomain's default (5.6: delete): both refuse unknown users at RCPT
printf '| %s/bin/vdelivermail '"''"' bounce-no-mailbox\n' "$VPOPMAILDIR" > "$VPOPMAILDIR/domains/example.org/.qmail-default"
printf '&joe@example.org\n' > "$VPOPMAILDIR/domains/example.org/.qmail-sales-default"
printf '&joe@example.org\n' > "$VPOPMAILDIR/domains/example.org/.qmail-list"
FULL=$("$B/vuserinfo" -d full@example.org 2>/dev/null || echo "$VPOPMAILDIR/domains/example.org/full")
printf '1000S\n5000 3\n' > "$FULL/Maildir/maildirsize"
HALF=$("$B/vuserinfo" -d half@example.org 2>/dev/null || echo "$VPOPMAILDIR/domains/example.org/half")
printf '1000S\n500 1\n' > "$HALF/Maildir/maildirsize"
echo example.org > "$QMAILDIR/control/me"
printf 'example.org\nalias.example\ncatch.example\nremote.catch\ndelete.example\nother.example\n' > "$QMAILDIR/control/rcpthosts"
cat > "$T/qq" <<'EOQ'
#!/bin/sh
cat > /dev/null; cat <&1 > /dev/null
EOQ
chmod 755 "$T/qq"
# qmail-smtpd refuses root: as root the sandbox goes to nobody, and both
# qmail-smtpd and the (here not setuid) helper run as nobody
RUN=
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$T/q" "$T/v"
  RUN="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
smtp() {
  env -i PATH="$PATH" QMAILDIR="$QMAILDIR" VPOPMAILDIR="$VPOPMAILDIR" QMAILQUEUE="$T/qq" \
    TCPREMOTEIP=192.0.2.7 "$@" $RUN "$B/qmail-smtpd" 2>>"$T/log"
}
check() {
  printf '%b' "$2" > "$T/want"
  if cmp -s "$T/want" "$3"; then echo "ok   $1"; else
    echo "FAIL $1"; diff "$T/want" "$3" | cat -A; fail=1; fi
}
rcpts() {   # rcpts ADDR... -> the commands of one transaction
  printf 'MAIL FROM:<a@b>\r\n'
  for r in "$@"; do printf 'RCPT TO:<%s>\r\n' "$r"; done
}
OK='250 ok\r\n'
NO='550 5.1.1 sorry, no mailbox here by that name (chkuser)\r\n'
FULLR='552 5.2.2 sorry, recipient mailbox is full (chkuser)\r\n'
TEMP='451 4.3.0 system temporary unavailable, try again later (chkuser)\r\n'

set -- joe@example.org JOE-ext@Example.ORG info@example.org sales-x@example.org \
  list@example.org nobody@example.org postmaster@alias.example nobody@alias.example \
  nobody@catch.example nobody@delete.example nobody@other.example full@example.org \
  far@example.org nobody@remote.catch list-x@example.org
# default on (no control file)
rcpts "$@" | smtp | sed 1,2d > "$T/r"
check default-on "$OK$NO$OK$OK$OK$NO$OK$NO$OK$NO$OK$FULLR$TEMP$TEMP$NO" "$T/r"
# the same verdicts as qmail-queue's delivery (its dry run is the
# helper's): 250 <-> exit 0, 550/552 <-> 31, 451 <-> 71; the one
# deliberate difference: a domain that deletes unknown users (0 there)
printf 'Subject: t\n\nx\n' > "$T/msg"
i=0
for a in "$@"; do
  i=$((i + 1))
  case $a in *@other.example) continue ;; esac
  printf 'Fs@x.org\0T%s\0\0' "$a" > "$T/env"
  # (retried: the sanitizer build of qmail-queue crashes now and then)
  for try in 1 2 3; do
    $RUN "$B/qmail-queue" < "$T/msg" 1< "$T/env" 2>> "$T/log"; rc=$?
    case $rc in 0|31|71) break ;; esac
  done
  reply=$(sed -n "${i}p" "$T/r" | cut -c1-3)
  case $reply:$rc in
    250:0|550:31|552:31|451:71) ;;
    550:0) [ "${a#*@}" = delete.example ] || { echo "FAIL same-as-delivery $a $reply $rc"; fail=1; } ;;
    *) echo "FAIL same-as-delivery $a: RCPT $reply, qmail-queue $rc"; fail=1 ;;
  esac
done
echo "ok   same-as-delivery (checked)"
grep -q 'rcpt-refused.*nobody@example.org' "$T/log" || { echo "FAIL refusal not logged"; fail=1; }
# the helper is asked only for local domains: other.example alone never starts it
rcpts nobody@other.example | smtp QMAILRCPTCHECK=/nonexistent | sed 1,2d > "$T/r"
check not-local-no-helper "$OK" "$T/r"
# CHKUSER_START=DOMAIN: only domains whose .qmail-default bounces
rcpts "$@" | smtp CHKUSER_START=DOMAIN | sed 1,2d > "$T/r"
check start-domain "$OK$NO$OK$OK$OK$NO$OK$NO$OK$OK$OK$FULLR$TEMP$OK$NO" "$T/r"
# off: control file 0, or CHKUSER_START other than ALWAYS/DOMAIN
echo 0 > "$QMAILDIR/control/smtprcptcheck"
rcpts "$@" | smtp | sed 1,2d > "$T/r"
check knob-off "$OK$OK$OK$OK$OK$OK$OK$OK$OK$OK$OK$OK$OK$OK$OK" "$T/r"
rcpts nobody@example.org | smtp CHKUSER_START=ALWAYS | sed 1,2d > "$T/r"
check start-always-wins "$NO" "$T/r"
echo 1 > "$QMAILDIR/control/smtprcptcheck"
rcpts nobody@example.org | smtp CHKUSER_START=NONE | sed 1,2d > "$T/r"
check start-none "$OK" "$T/r"
# RELAYCLIENT skips the check
rcpts ghost@example.org | smtp RELAYCLIENT= | sed 1,2d > "$T/r"
check relayclient "$OK" "$T/r"

# a user added while the session runs is accepted at once (no rebuild)
mkfifo "$T/in"
smtp < "$T/in" > "$T/live" &
pid=$!
exec 3> "$T/in"
printf 'MAIL FROM:<a@b>\r\nRCPT TO:<late@example.org>\r\n' >&3
n=0; while [ $n -lt 100 ] && ! grep -q '^550' "$T/live"; do sleep 0.1; n=$((n + 1)); done
"$B/vadduser" late@example.org pw > /dev/null || die "vadduser late"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$T/q" "$T/v"
printf 'RCPT TO:<late@example.org>\r\nQUIT\r\n' >&3
exec 3>&-
wait $pid
sed 1,2d "$T/live" | head -n 2 > "$T/r"
check user-added-live "$NO$OK" "$T/r"

# the helper missing or dying: 451, never 550
rcpts nobody@example.org joe@example.org | smtp QMAILRCPTCHECK="$T/nonexistent" | sed 1,2d > "$T/r"
check helper-missing "$TEMP$TEMP" "$T/r"
rcpts nobody@example.org | smtp QMAILRCPTCHECK=/bin/false | sed 1,2d > "$T/r"
check helper-dies "$TEMP" "$T/r"
mv "$QMAILDIR/bin/qmail-rcptcheck" "$T/rc"
rcpts nobody@example.org | smtp | sed 1,2d > "$T/r"
check helper-not-installed "$TEMP" "$T/r"
mv "$T/rc" "$QMAILDIR/bin/qmail-rcptcheck"

# chkuser's limits
rcpts a@example.org b@example.org c@example.org joe@example.org | smtp CHKUSER_WRONGRCPTLIMIT=2 | sed 1,2d > "$T/r"
check wrongrcptlimit "$NO$NO"'550 sorry, you are violating our security policies (chkuser)\r\n550 sorry, you are violating our security policies (chkuser)\r\n' "$T/r"
rcpts joe@example.org info@example.org joe@example.org | smtp CHKUSER_RCPTLIMIT=2 | sed 1,2d > "$T/r"
check rcptlimit "$OK$OK"'550 sorry, reached maximum number of recipients allowed in one session (chkuser)\r\n' "$T/r"

# chkuser's CHKUSER_MBXQUOTA: a mailbox at least that percent full (here
# 50 %) gets 552 at RCPT; unset or 0: only a mailbox over its quota
rcpts half@example.org joe@example.org | smtp CHKUSER_MBXQUOTA=50 | sed 1,2d > "$T/r"
check mbxquota-full "$FULLR$OK" "$T/r"
rcpts half@example.org | smtp CHKUSER_MBXQUOTA=51 | sed 1,2d > "$T/r"
check mbxquota-below "$OK" "$T/r"
rcpts half@example.org full@example.org | smtp | sed 1,2d > "$T/r"
check mbxquota-unset "$OK$FULLR" "$T/r"
rcpts half@example.org | smtp CHKUSER_MBXQUOTA=0 | sed 1,2d > "$T/r"
check mbxquota-zero "$OK" "$T/r"
grep -q 'mailbox-full to=half@example.org' "$T/log" || { echo "FAIL mbxquota not logged"; fail=1; }

# chkuser's error delay: 300 ms before the first refusal, 200 ms more for
# each further one (chkuser: 1000 + 300); off by default
echo 300 > "$QMAILDIR/control/chkusererrordelay"
echo 200 > "$QMAILDIR/control/chkusererrordelayincrease"
t0=$(date +%s%N)
rcpts a@example.org joe@example.org b@example.org | smtp | sed 1,2d > "$T/r"
t1=$(date +%s%N)
check errdelay "$NO$OK$NO" "$T/r"
ms=$(( (t1 - t0) / 1000000 ))
if [ $ms -ge 800 ]; then echo "ok   errdelay-waits ($ms ms)"; else
  echo "FAIL errdelay-waits: $ms ms, want at least 800"; fail=1; fi
rm -f "$QMAILDIR/control/chkusererrordelay" "$QMAILDIR/control/chkusererrordelayincrease"

# the helper itself: one reply per record, a malformed record is fatal
printf '\000\021A\000joe@example.org\000\024A\000nobody@example.org' | $RUN "$B/qmail-rcptcheck" 2>/dev/null | od -An -c | tr -s ' ' > "$T/r"
grep -q '^ K \\0 N' "$T/r" && echo "ok   helper-direct" || { echo "FAIL helper-direct"; cat "$T/r"; fail=1; }
printf '\000\001A' | $RUN "$B/qmail-rcptcheck" > /dev/null 2>&1
[ $? = 100 ] && echo "ok   helper-malformed" || { echo "FAIL helper-malformed"; fail=1; }
printf '\000\006Zjoe@x' | $RUN "$B/qmail-rcptcheck" > /dev/null 2>&1
[ $? = 100 ] && echo "ok   helper-badmode" || { echo "FAIL helper-badmode"; fail=1; }
exit $fail
