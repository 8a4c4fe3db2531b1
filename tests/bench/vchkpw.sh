#!/bin/sh
# tests/bench/vchkpw.sh — vchkpw logins per second in a domain of 10,000
# users and of 100 users (the cost must not grow with the domain: one
# cdb lookup), with a cheap stored form ({PLAIN}), MD5-crypt and
# SHA-512-crypt. The trees are generated directly (vpasswd + vpasswd.cdb
# by tests/lib/cdbmake.py), not with vadduser. Each figure runs for about
# two seconds; logins go through fork+exec of vchkpw with service smtp
# and /bin/true, as qmail-smtpd's AUTH does.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
[ -x "$QV_BUILD/bin/vchkpw" ] || { echo "vchkpw: not built"; exit 1; }
python3 - "$tmp" "$QV_BUILD/bin/vchkpw" "$QV_SRC" "${BENCH_SECONDS:-2}" <<'EOT'
import os, random, subprocess, sys, time
tmp, vchkpw, src, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
sys.path.insert(0, src + "/tests/lib")
import cdbmake

PW = "s3cret pw"
HASHES = {
    "plain": "{PLAIN}" + PW,
    "md5-crypt": "$1$abcdefgh$Ezy/7289va/MMoQrtJIRM1",
    "sha512-crypt": "$6$saltsalt$7u7lGNWW9pmKyYBbYJ6Jh6i2ruj8e.Qfb5jWFzC5XDXwkp22RJs8FI/FZCcvlqZ74LOOE4zjgN.gJJSAWe/Um/",
}
uid, gid = os.getuid(), os.getgid()
q, v = tmp + "/q", tmp + "/v"
os.makedirs(q + "/users"); os.makedirs(q + "/control")
domains = []
recs = []
for n in (100, 10000):
    for scheme, h in HASHES.items():
        dom = "d%d-%s.test" % (n, scheme)
        d = "%s/domains/%s" % (v, dom)
        os.makedirs(d)
        lines = []
        for i in range(n):
            name = "user%05d" % i
            lines.append("%s:%s:1:0:%s:%s/%s:NOQUOTA" % (name, h, name, d, name))
        with open(d + "/vpasswd", "w") as f:
            f.write("\n".join(lines) + "\n")
        cdbmake.write(d + "/vpasswd.cdb",
                      [(l.split(":", 1)[0].encode(), l.split(":", 1)[1].encode()) for l in lines])
        recs.append((("!%s-" % dom).encode(), ("%s\0%d\0%d\0%s\0-\0" % (dom, uid, gid, d)).encode()))
        domains.append((n, scheme, dom, d))
recs.append((b"", b"-"))
cdbmake.write(q + "/users/cdb", recs)

rng = random.Random(1)
with open(tmp + "/plan", "w") as plan:
    for n, scheme, dom, d in domains:
        picks = ["user%05d" % rng.randrange(n) for _ in range(16)]
        for i, p in enumerate(picks):
            os.makedirs("%s/%s" % (d, p), exist_ok=True)
            with open("%s/in-%s-%d" % (tmp, dom, i), "wb") as f:
                f.write(("%s@%s\0%s\0" % (p, dom, PW)).encode())
        plan.write("%d %s %s\n" % (n, scheme, dom))
EOT

export QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v" VCHKPW_SERVICE=smtp TCPREMOTEIP=127.0.0.1
unset VPOPMAIL_DOMAIN
secs=${BENCH_SECONDS:-2}
status=0
now() { date +%s%N; }
while read -r n scheme dom; do
  count=0 fails=0
  t0=$(now)
  limit=$((t0 + secs * 1000000000))
  while :; do
    i=0
    while [ $i -lt 16 ]; do
      "$QV_BUILD/bin/vchkpw" /bin/true 3< "$tmp/in-$dom-$i" 2>/dev/null || fails=$((fails + 1))
      i=$((i + 1))
    done
    count=$((count + 16))
    t1=$(now)
    [ "$t1" -ge "$limit" ] && break
  done
  rate=$((count * 1000000000 / (t1 - t0)))
  echo "vchkpw: $n users, $scheme: $rate logins/s ($count logins, $fails failed)"
  [ $fails = 0 ] || status=1
done < "$tmp/plan"
echo "vchkpw: (each login is fork+exec of vchkpw and /bin/true; /bin/true alone: $(
  t0=$(now); i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i + 1)); done; t1=$(now)
  echo $((200 * 1000000000 / (t1 - t0)))) runs/s)"
exit $status
