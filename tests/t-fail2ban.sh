#!/bin/sh
# tests/t-fail2ban.sh — the shipped fail2ban filter
# (control/fail2ban/filter.d/qvmail.conf) against real log output: a
# sandbox (make setup, vadddomain, vadduser); qmail-smtpd AUTH and
# qmail-popup USER/PASS, both with the real vchkpw, fail from several
# addresses (wrong password, unknown user, unknown domain) and succeed
# from others; their stderr gets multilog-style TAI64N stamps; Debian's
# fail2ban-regex must match exactly one line per failure, with the
# failing addresses only, and none for the successes.
: "${QV_BUILD:?}" "${QV_SRC:?}"
. "$QV_SRC/tests/lib/sandbox.sh"
sandbox_init
sb_logs="$tmp/log"
sandbox_need fail2ban-regex
sandbox_setup
sandbox_control me localhost
sandbox_domain example.test bob secret
sandbox_own
[ -z "$as" ] || chmod 777 "$tmp"
: > "$tmp/raw"
chmod 666 "$tmp/raw"

# smtp IP USER PASSWORD: one AUTH PLAIN through qmail-smtpd and vchkpw
smtp() {
  printf 'EHLO c\r\nAUTH PLAIN %s\r\nQUIT\r\n' "$(printf '\0%s\0%s' "$2" "$3" | base64 -w0)" |
    env -i PATH="$PATH" QMAILDIR="$Q" VPOPMAILDIR="$V" SMTPAUTH= FORCETLS=0 \
      TCPREMOTEIP="$1" TCPLOCALPORT=587 TCPLOCALHOST=localhost \
      $as "$Q/bin/qmail-smtpd" "$V/bin/vchkpw" /bin/true 2>> "$tmp/raw"
}
# pop3 IP USER PASSWORD: USER/PASS through qmail-popup and vchkpw
pop3() {
  printf 'USER %s\r\nPASS %s\r\nQUIT\r\n' "$2" "$3" |
    env -i PATH="$PATH" QMAILDIR="$Q" VPOPMAILDIR="$V" FORCETLS=0 \
      TCPREMOTEIP="$1" TCPLOCALPORT=110 \
      $as "$Q/bin/qmail-popup" localhost "$V/bin/vchkpw" $pop3d 2>> "$tmp/raw"
}

want=0
smtp 192.0.2.1 bob@example.test wrong | grep -q '^535 ' || fail "smtp wrong password: no 535"
want=$((want + 1))
smtp 192.0.2.2 nobody@example.test x | grep -q '^535 ' || fail "smtp unknown user: no 535"
want=$((want + 1))
smtp 2001:db8::3 bob@nowhere.test x | grep -q '^535 ' || fail "smtp unknown domain: no 535"
want=$((want + 1))
smtp 192.0.2.50 bob@example.test secret | grep -q '^235 ' || fail "smtp success: no 235"
haspop=
if [ -x "$Q/bin/qmail-popup" ]; then
  haspop=1
  pop3d=/bin/true
  [ -x "$Q/bin/qmail-pop3d" ] && pop3d="$Q/bin/qmail-pop3d Maildir"
  pop3 192.0.2.4 bob@example.test wrong | grep -q '^-ERR' || fail "pop3 wrong password: no -ERR"
  want=$((want + 1))
fi

# multilog t: "@" + TAI64N label (TAI = UTC + 10 s here, close enough)
python3 - "$tmp/raw" "$tmp/log" <<'EOT'
import sys, time
now = time.time()
with open(sys.argv[1]) as f, open(sys.argv[2], 'w') as o:
    for i, line in enumerate(f):
        t = now + i / 1000.0
        s = int(t)
        o.write('@%016x%08x %s' % (2**62 + s + 10, int((t - s) * 1e9), line))
EOT
filter="$QV_SRC/control/fail2ban/filter.d/qvmail.conf"
[ -f "$filter" ] || fail "no $filter"
fail2ban-regex "$tmp/log" "$filter" > "$tmp/result" 2>&1 || fail "fail2ban-regex: $(tail -n 5 "$tmp/result")"
matched=$(sed -n 's/^Lines: [0-9]* lines, [0-9]* ignored, \([0-9]*\) matched.*/\1/p' "$tmp/result")
[ "$matched" = "$want" ] || { cat "$tmp/result"; fail "fail2ban-regex matched $matched lines, want $want"; }
fail2ban-regex -o ip "$tmp/log" "$filter" 2>/dev/null | sort > "$tmp/ips"
printf '%s\n' 192.0.2.1 192.0.2.2 2001:db8::3 ${haspop:+192.0.2.4} | sort > "$tmp/wantips"
cmp -s "$tmp/ips" "$tmp/wantips" || { echo "got:"; cat "$tmp/ips"; echo "want:"; cat "$tmp/wantips"; fail "banned addresses"; }
grep -q '192\.0\.2\.5[01]' "$tmp/ips" && fail "a successful login matched"
# the filter must not match qmail-smtpd's own lines, and no line holds a password
grep -q 'secret\|wrong' "$tmp/log" && grep 'secret\|wrong' "$tmp/log" | grep -v 'reason=wrong-password' | grep -q . &&
  fail "a password is in the log"
# the jail loads with the filter in a copy of Debian's configuration
if command -v fail2ban-client > /dev/null && [ -d /etc/fail2ban ]; then
  cfg="$tmp/f2b"
  mkdir -p "$cfg"
  cp -r /etc/fail2ban/. "$cfg/"
  rm -f "$cfg"/jail.d/*
  cp "$filter" "$cfg/filter.d/"
  cp "$QV_SRC/control/fail2ban/jail.d/qvmail.conf" "$cfg/jail.d/"
  printf '[qvmail]\nlogpath = %s\n' "$tmp/log" > "$cfg/jail.d/zz-test.local"
  timeout 30 fail2ban-client -c "$cfg" -t > "$tmp/jailtest" 2>&1 || fail "fail2ban-client -t: $(tail -n 3 "$tmp/jailtest")"
  timeout 30 fail2ban-client -c "$cfg" -d 2>/dev/null | grep -q "'add', 'qvmail'" || fail "jail qvmail not enabled"
  echo "ok   jail.d/qvmail.conf loads (fail2ban-client -t)"
fi
echo "ok   fail2ban-regex: $matched matches for $want failures (smtp${haspop:+, pop3}), addresses $(tr '\n' ' ' < "$tmp/ips")"
exit 0
