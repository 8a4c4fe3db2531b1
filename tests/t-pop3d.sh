#!/bin/sh
# tests/t-pop3d.sh — qmail-pop3d driven directly over pipes, as vchkpw
# leaves it: cwd = the user's home, argv "qmail-pop3d Maildir", run as
# an unprivileged id (65534 when the test runs as root). Checks every
# command and error reply, sizes equal to the octets RETR sends, dot
# stuffing, TOP n, DELE+QUIT (unlink, maildirsize), RSET, EOF and
# timeout deleting nothing, new/ -> cur/ at QUIT, pipelining, line
# limits, two sessions deleting the same message, a message moved or
# deleted by another session mid-session, the migrated fixture's UIDLs,
# a missing or unreadable Maildir, and uid 0 refused.
: "${QV_BUILD:?}" "${QV_SRC:?}"
tmp=$(mktemp -d) || exit 111
chmod 755 "$tmp"
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
P="$QV_BUILD/bin/qmail-pop3d"
[ -x "$P" ] || { echo "no $P"; exit 1; }
mkdir -p "$tmp/q/control"
# it must not link libcrypto (nor, normally, anything: it is static)
if command -v readelf > /dev/null; then
  readelf -d "$P" 2>/dev/null | grep -q 'NEEDED.*libcrypto' && { echo "FAIL: qmail-pop3d links libcrypto"; exit 1; }
fi
chmod -R a+rX "$tmp/q"

if [ "$(id -u)" = 0 ]; then
  # uid 0 is refused: exit 1, nothing on fd 1, a log line
  mkdir -p "$tmp/root/Maildir/new" "$tmp/root/Maildir/cur" "$tmp/root/Maildir/tmp"
  out=$(cd "$tmp/root" && printf 'STAT\r\n' | QMAILDIR="$tmp/q" "$P" Maildir 2> "$tmp/rootlog"); rc=$?
  [ $rc = 1 ] || { echo "FAIL: uid 0 exit $rc"; exit 1; }
  [ -z "$out" ] || { echo "FAIL: uid 0 said $out"; exit 1; }
  grep -q 'qmail-pop3d: fatal: invoked-as-root' "$tmp/rootlog" || { echo "FAIL: uid 0 log"; exit 1; }
fi

cat > "$tmp/t.py" <<'EOT'
import os, select, shutil, subprocess, sys, time
P, tmp, src = sys.argv[1], sys.argv[2], sys.argv[3]
ROOT = os.getuid() == 0
bad = 0
case = ''
def fail(msg):
    global bad
    print('FAIL [%s]: %s' % (case, msg)); bad = 1

def own(path):
    if ROOT:
        for d, dirs, files in os.walk(path):
            os.chown(d, 65534, 65534)
            for f in files: os.chown(os.path.join(d, f), 65534, 65534)

class Pop:
    def __init__(self, home, arg='Maildir', env=None):
        e = {'PATH': '/usr/bin:/bin', 'QMAILDIR': tmp + '/q', 'USER': 'bob@example.com'}
        e.update(env or {})
        pre = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] if ROOT else []
        self.log = open(tmp + '/log', 'ab')
        self.p = subprocess.Popen(pre + [P] + ([arg] if arg is not None else []), cwd=home,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.log, env=e, bufsize=0)
        self.buf = b''
    def send(self, d):
        self.p.stdin.write(d); self.p.stdin.flush()
    def _fill(self, timeout):
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not r: raise Exception('timeout')
        d = os.read(self.p.stdout.fileno(), 65536)
        if not d: raise Exception('eof')
        self.buf += d
    def line(self, timeout=10):
        while b'\r\n' not in self.buf: self._fill(timeout)
        l, self.buf = self.buf.split(b'\r\n', 1)
        return l
    def multi(self):
        """the lines of a multi-line answer up to '.', raw (still stuffed)"""
        out = []
        while True:
            l = self.line()
            if l == b'.': return out
            out.append(l)
    def body(self):
        """the exact octets of a multi-line answer before the final '.', unstuffed"""
        while b'\r\n.\r\n' not in self.buf and not self.buf.startswith(b'.\r\n'):
            self._fill(10)
        if self.buf.startswith(b'.\r\n'):
            raw, self.buf = b'', self.buf[3:]
        else:
            i = self.buf.index(b'\r\n.\r\n')
            raw, self.buf = self.buf[:i + 2], self.buf[i + 5:]
        lines = raw.split(b'\r\n')
        return b'\r\n'.join(l[1:] if l.startswith(b'.') else l for l in lines), raw
    def cmd(self, c):
        self.send(c + b'\r\n'); return self.line()
    def close(self):
        self.p.stdin.close()
        rc = self.p.wait(10)
        rest = self.p.stdout.read()
        return rc, self.buf + rest

def maildir(name, msgs):
    """msgs: list of (subdir, filename, bytes, mtime)"""
    home = os.path.join(tmp, name)
    md = os.path.join(home, 'Maildir')
    for d in ('new', 'cur', 'tmp'): os.makedirs(os.path.join(md, d))
    for sub, fn, data, mt in msgs:
        p = os.path.join(md, sub, fn)
        open(p, 'wb').write(data)
        os.utime(p, (mt, mt))
    own(home)
    return home, md

def ls(md):
    return sorted(os.listdir(md + '/new')), sorted(os.listdir(md + '/cur'))

def expect(got, want, what):
    if got != want: fail('%s: got %r want %r' % (what, got, want))

M1 = b'Subject: one\n\nline1\n.dot\n..two dots\n.\nlast\n'
M2 = b'Subject: two\r\nX: y\r\n\r\nb1\r\nb2\r\nb3\r\n'
M3 = b'Subject: three\n\nno final newline'
M4 = b'Subject: four\n\nbody\n'            # carries ,W= (trusted)
M4W = len(M4.replace(b'\n', b'\r\n'))
M5 = b'Subject: five\nX: mixed\r\n\nbare\rcr\n\x00nul\n'
base = [('new', '1000.M1P1.h', M1, 1000), ('cur', '1001.M1P1.h,S=%d:2,S' % len(M2), M2, 1001),
        ('new', '1002.M1P1.h', M3, 1002), ('cur', '1003.M1P1.h,S=%d,W=%d:2,' % (len(M4), M4W), M4, 1003),
        ('cur', '1004.M1P1.h:2,RS', M5, 1004)]
def crlf(b):
    out = b''
    lines = b.split(b'\n')
    for i, l in enumerate(lines):
        if i == len(lines) - 1:
            if l: out += l + b'\r\n'
            break
        out += l + (b'\n' if l.endswith(b'\r') else b'\r\n')
    return out
MSGS = [M1, M2, M3, M4, M5]

# --- every command, sizes, RETR octets, TOP, dot stuffing ------------------
case = 'commands'
home, md = maildir('a', base)
p = Pop(home)
expect(p.line(), b'+OK ', 'greeting')
total = sum(len(crlf(m)) for m in MSGS)
expect(p.cmd(b'STAT'), b'+OK 5 %d' % total, 'STAT')
expect(p.cmd(b'LIST'), b'+OK ', 'LIST')
expect(p.multi(), [b'%d %d' % (i + 1, len(crlf(m))) for i, m in enumerate(MSGS)], 'LIST lines')
expect(p.cmd(b'list 2'), b'+OK 2 %d' % len(crlf(M2)), 'LIST 2')
expect(p.cmd(b'UIDL'), b'+OK ', 'UIDL')
uidls = [b'1000.M1P1.h', b'1001.M1P1.h,S=%d' % len(M2), b'1002.M1P1.h',
         b'1003.M1P1.h,S=%d,W=%d' % (len(M4), M4W), b'1004.M1P1.h']
expect(p.multi(), [b'%d %s' % (i + 1, u) for i, u in enumerate(uidls)], 'UIDL lines')
expect(p.cmd(b'UIDL 4'), b'+OK 4 ' + uidls[3], 'UIDL 4')
for i, m in enumerate(MSGS):
    expect(p.cmd(b'RETR %d' % (i + 1)), b'+OK ', 'RETR %d' % (i + 1))
    body, raw = p.body()
    expect(body, crlf(m), 'RETR %d body' % (i + 1))
    p.send(b'LIST %d\r\n' % (i + 1))
    expect(p.line(), b'+OK %d %d' % (i + 1, len(body)), 'size = RETR octets %d' % (i + 1))
p.send(b'RETR 1\r\n'); p.line(); body, raw = p.body()
expect(raw, b'Subject: one\r\n\r\nline1\r\n..dot\r\n...two dots\r\n..\r\nlast\r\n', 'dot stuffing')
expect(p.cmd(b'TOP 2 0'), b'+OK ', 'TOP 2 0')
expect(p.body()[0], b'Subject: two\r\nX: y\r\n\r\n', 'TOP 2 0 body')
expect(p.cmd(b'TOP 2 2'), b'+OK ', 'TOP 2 2')
expect(p.body()[0], b'Subject: two\r\nX: y\r\n\r\nb1\r\nb2\r\n', 'TOP 2 2 body')
expect(p.cmd(b'TOP 2 99'), b'+OK ', 'TOP 2 99')
expect(p.body()[0], crlf(M2), 'TOP 2 99 body')
expect(p.cmd(b'TOP 2'), b'+OK ', 'TOP 2 (qmail: whole message)')
expect(p.body()[0], crlf(M2), 'TOP 2 body')
expect(p.cmd(b'TOP 1 1'), b'+OK ', 'TOP 1 1')
expect(p.body()[1], b'Subject: one\r\n\r\nline1\r\n', 'TOP 1 1 raw')
expect(p.cmd(b'TOP 2 x'), b'-ERR syntax error', 'TOP 2 x')
for c, r in [(b'RETR', b'-ERR syntax error'), (b'RETR x', b'-ERR syntax error'),
             (b'RETR 1x', b'-ERR syntax error'), (b'RETR -1', b'-ERR syntax error'),
             (b'RETR 0', b'-ERR messages are counted from 1'),
             (b'RETR 6', b'-ERR not that many messages'),
             (b'RETR 99999999999999999999999', b'-ERR syntax error'),
             (b'LIST 6', b'-ERR not that many messages'), (b'UIDL 0', b'-ERR messages are counted from 1'),
             (b'TOP', b'-ERR syntax error'), (b'DELE', b'-ERR syntax error'),
             (b'NOOP', b'+OK '), (b'noop extra', b'+OK '), (b'LAST', b'+OK 0'),
             (b'XTND', b'-ERR unimplemented'), (b'', b'-ERR unimplemented'),
             (b'USER bob', b'-ERR unimplemented'), (b'APOP a b', b'-ERR unimplemented')]:
    expect(p.cmd(c), r, c.decode())
expect(p.cmd(b'CAPA'), b'+OK Capability list follows', 'CAPA')
capa = p.multi()
for t in (b'TOP', b'UIDL', b'RESP-CODES', b'PIPELINING'):
    if t not in capa: fail('CAPA lacks %r: %r' % (t, capa))
for t in (b'USER', b'STLS'):
    if any(c.startswith(t) for c in capa): fail('CAPA after login has %r' % t)
# DELE, LAST, already deleted, RSET
expect(p.cmd(b'DELE 2'), b'+OK ', 'DELE 2')
expect(p.cmd(b'DELE 2'), b'-ERR already deleted', 'DELE 2 again')
expect(p.cmd(b'RETR 2'), b'-ERR already deleted', 'RETR deleted')
expect(p.cmd(b'LAST'), b'+OK 2', 'LAST')
expect(p.cmd(b'STAT'), b'+OK 4 %d' % (total - len(crlf(M2))), 'STAT after DELE')
expect(p.cmd(b'LIST'), b'+OK ', 'LIST after DELE')
expect([l.split()[0] for l in p.multi()], [b'1', b'3', b'4', b'5'], 'LIST skips deleted')
expect(p.cmd(b'RSET'), b'+OK ', 'RSET')
expect(p.cmd(b'LAST'), b'+OK 0', 'LAST after RSET')
expect(p.cmd(b'STAT'), b'+OK 5 %d' % total, 'STAT after RSET')
expect(p.cmd(b'RETR 2'), b'+OK ', 'RETR after RSET'); p.body()
# line limits: 255 octets with CRLF accepted, 256 refused, NUL refused
expect(p.cmd(b'NOOP' + b' ' * 249), b'+OK ', '255-octet line')
expect(p.cmd(b'NOOP' + b' ' * 250), b'-ERR line too long', '256-octet line')
expect(p.cmd(b'NO\x00OP'), b'-ERR syntax error', 'NUL')
expect(p.cmd(b'NOOP'), b'+OK ', 'in step after errors')
expect(p.cmd(b'quit'), b'+OK ', 'QUIT')
rc, rest = p.close()
expect((rc, rest), (0, b''), 'exit after QUIT')
# RSET restored everything: nothing deleted; new/ moved to cur/ with ":2,"
expect(ls(md), ([], sorted(['1000.M1P1.h:2,', '1001.M1P1.h,S=%d:2,S' % len(M2), '1002.M1P1.h:2,',
                             '1003.M1P1.h,S=%d,W=%d:2,' % (len(M4), M4W), '1004.M1P1.h:2,RS'])),
       'new -> cur at QUIT, RSET kept all')
# UIDL identical in the next session (stable across new -> cur)
p = Pop(home); p.line()
p.send(b'UIDL\r\n'); p.line()
expect(p.multi(), [b'%d %s' % (i + 1, u) for i, u in enumerate(uidls)], 'UIDL stable')
p.cmd(b'QUIT'); p.close()

# --- pipelining: every command in one write, answers in order --------------
case = 'pipelining'
home, md = maildir('pipe', base)
p = Pop(home)
p.send(b'STAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nDELE 1\nTOP 2 0\r\nNOOP\r\nQUIT\r\n')
expect(p.line(), b'+OK ', 'greeting')
expect(p.line(), b'+OK 5 %d' % total, 'STAT')
p.line(); expect(len(p.multi()), 5, 'LIST')
p.line(); expect(len(p.multi()), 5, 'UIDL')
expect(p.line(), b'+OK ', 'RETR'); expect(p.body()[0], crlf(M1), 'RETR body')
expect(p.line(), b'+OK ', 'DELE (bare LF)')
expect(p.line(), b'+OK ', 'TOP'); p.body()
expect(p.line(), b'+OK ', 'NOOP')
expect(p.line(), b'+OK ', 'QUIT')
rc, rest = p.close()
expect((rc, rest), (0, b''), 'end')
expect('1000.M1P1.h:2,' in ls(md)[1] or '1000.M1P1.h' in ls(md)[0], False, 'DELE+QUIT unlinked')
expect(len(ls(md)[1]), 4, 'four left in cur')

# --- DELE + QUIT updates maildirsize; EOF deletes nothing -------------------
case = 'maildirsize'
home, md = maildir('q', base)
open(md + '/maildirsize', 'w').write('1000000S,100C\n%d 5\n' % sum(len(m) for m in MSGS))
own(home)
p = Pop(home); p.line()
expect(p.cmd(b'DELE 1'), b'+OK ', 'DELE 1'); expect(p.cmd(b'DELE 2'), b'+OK ', 'DELE 2')
rc, rest = p.close()           # EOF without QUIT
expect(rc, 0, 'exit at EOF')
expect(len(ls(md)[0]) + len(ls(md)[1]), 5, 'EOF deleted nothing')
expect(ls(md)[0], ['1000.M1P1.h', '1002.M1P1.h'], 'EOF left new/ alone')
p = Pop(home); p.line()
expect(p.cmd(b'DELE 1'), b'+OK ', 'DELE 1'); expect(p.cmd(b'DELE 2'), b'+OK ', 'DELE 2')
expect(p.cmd(b'QUIT'), b'+OK ', 'QUIT'); p.close()
expect(len(ls(md)[0]) + len(ls(md)[1]), 3, 'DELE+QUIT removed two')
mds = open(md + '/maildirsize').read().split('\n')
expect(mds[2], '%d -2' % -(len(M1) + len(M2)), 'maildirsize delta')

# --- timeout: control/timeoutpop3d, nothing applied -------------------------
case = 'timeout'
open(tmp + '/q/control/timeoutpop3d', 'w').write('1\n'); os.chmod(tmp + '/q/control/timeoutpop3d', 0o644)
home, md = maildir('t', base)
p = Pop(home); p.line()
expect(p.cmd(b'DELE 1'), b'+OK ', 'DELE 1')
t0 = time.time()
rc = p.p.wait(10)
expect(rc, 0, 'exit on timeout')
if time.time() - t0 > 5: fail('timeout took %.1f s' % (time.time() - t0))
expect(len(ls(md)[0]) + len(ls(md)[1]), 5, 'timeout deleted nothing')
os.unlink(tmp + '/q/control/timeoutpop3d')
p.p.stdin.close()
# an unusable control file is a temporary failure, not the default
open(tmp + '/q/control/timeoutpop3d', 'w').write('soon\n'); os.chmod(tmp + '/q/control/timeoutpop3d', 0o644)
p = Pop(home)
expect(p.line(), b'-ERR [SYS/TEMP] unable to read controls', 'bad timeoutpop3d')
expect(p.close()[0], 111, 'exit 111')
os.unlink(tmp + '/q/control/timeoutpop3d')

# --- two sessions on one mailbox --------------------------------------------
case = 'concurrent'
home, md = maildir('c', base)
a = Pop(home); a.line(); b = Pop(home); b.line()
expect(a.cmd(b'DELE 1'), b'+OK ', 'a DELE 1'); expect(b.cmd(b'DELE 1'), b'+OK ', 'b DELE 1')
expect(a.cmd(b'QUIT'), b'+OK ', 'a QUIT'); a.close()
# message 3 was moved new/ -> cur/ by a's QUIT: b still reads and deletes it
expect(b.cmd(b'RETR 3'), b'+OK ', 'b RETR moved message'); expect(b.body()[0], crlf(M3), 'moved body')
expect(b.cmd(b'DELE 3'), b'+OK ', 'b DELE 3')
expect(b.cmd(b'LIST'), b'+OK ', 'b LIST')
expect([l.split()[0] for l in b.multi()], [b'2', b'4', b'5'], 'b LIST (1 and 3 deleted)')
expect(b.cmd(b'QUIT'), b'+OK ', 'b QUIT (already-deleted message is not a failure)'); b.close()
expect(ls(md), ([], sorted(['1001.M1P1.h,S=%d:2,S' % len(M2), '1003.M1P1.h,S=%d,W=%d:2,' % (len(M4), M4W),
                             '1004.M1P1.h:2,RS'])), 'after both sessions')
# a message deleted by another session is gone: left out of LIST/STAT, no crash
home, md = maildir('c2', base)
a = Pop(home); a.line()
os.unlink(md + '/new/1002.M1P1.h')
expect(a.cmd(b'STAT'), b'+OK 4 %d' % (total - len(crlf(M3))), 'STAT skips gone')
expect(a.cmd(b'RETR 3'), b'-ERR unable to open that message', 'RETR gone')
# a message whose flags another client changed is still found
os.rename(md + '/cur/1004.M1P1.h:2,RS', md + '/cur/1004.M1P1.h:2,FRS')
expect(a.cmd(b'RETR 5'), b'+OK ', 'RETR renamed'); expect(a.body()[0], crlf(M5), 'renamed body')
expect(a.cmd(b'DELE 5'), b'+OK ', 'DELE renamed')
expect(a.cmd(b'QUIT'), b'+OK ', 'QUIT'); a.close()
expect('1004.M1P1.h:2,FRS' in ls(md)[1], False, 'renamed message deleted')
# a duplicate (the same unique name in new/ and cur/) is listed once
home, md = maildir('dup', base + [('new', '1001.M1P1.h,S=%d' % len(M2), M2, 1001)])
a = Pop(home); a.line()
expect(a.cmd(b'STAT'), b'+OK 5 %d' % total, 'duplicate listed once')
a.cmd(b'QUIT'); a.close()

# --- the migrated fixture: UIDLs as qmail-pop3d showed them -----------------
case = 'migrated'
home = os.path.join(tmp, 'mig'); md = os.path.join(home, 'Maildir')
shutil.copytree(os.path.join(src, 'tests/fixtures/pop3-migrated'), md)
for d in ('new', 'cur'):
    for f in os.listdir(os.path.join(md, d)):
        t = int(f.split('.')[0]) if f[0] != '.' else 0
        os.utime(os.path.join(md, d, f), (t, t))
own(home)
want = [l.encode() for l in open(os.path.join(src, 'tests/fixtures/pop3-migrated.uidl')).read().split('\n') if l]
p = Pop(home); p.line()
expect(p.cmd(b'UIDL'), b'+OK ', 'UIDL'); expect(p.multi(), want, 'migrated UIDLs')
expect(p.cmd(b'LIST'), b'+OK ', 'LIST'); sizes = p.multi()
for i in range(len(want)):
    p.send(b'RETR %d\r\n' % (i + 1)); expect(p.line(), b'+OK ', 'RETR %d' % (i + 1))
    body = p.body()[0]
    expect(sizes[i], b'%d %d' % (i + 1, len(body)), 'size %d' % (i + 1))
p.cmd(b'QUIT'); p.close()
p = Pop(home); p.line()
expect(p.cmd(b'UIDL'), b'+OK ', 'UIDL 2'); expect(p.multi(), want, 'migrated UIDLs after QUIT')
p.cmd(b'QUIT'); p.close()

# --- missing and unreadable Maildir ------------------------------------------
case = 'maildir errors'
home = os.path.join(tmp, 'none'); os.makedirs(home); own(home)
p = Pop(home)
expect(p.line(), b'-ERR this user has no $HOME/Maildir', 'no Maildir')
expect(p.close()[0], 0, 'exit')
p = Pop(home, arg=None)
expect(p.line(), b'-ERR this user has no $HOME/Maildir', 'no argument')
p.close()
home, md = maildir('nocur', [])
os.rmdir(md + '/cur')
p = Pop(home)
expect(p.line(), b'-ERR this user has no $HOME/Maildir', 'no cur/')
p.close()
home, md = maildir('unread', base)
os.chmod(md + '/cur', 0)
p = Pop(home)
expect(p.line(), b'-ERR [SYS/PERM] unable to scan $HOME/Maildir', 'unreadable cur/')
p.close()
os.chmod(md + '/cur', 0o750)
# a message file that cannot be read: temporary, the session goes on
home, md = maildir('unreadmsg', base)
os.chmod(md + '/cur/1004.M1P1.h:2,RS', 0)
p = Pop(home); p.line()
expect(p.cmd(b'RETR 5'), b'-ERR [SYS/TEMP] unable to open that message', 'unreadable message')
expect(p.cmd(b'NOOP'), b'+OK ', 'session goes on')
p.cmd(b'QUIT'); p.close()

# a symbolic link is not a message (the mail-store id is shared by all users)
home, md = maildir('symlink', base)
open(tmp + '/other', 'wb').write(b'Subject: someone else\n\nsecret\n')
os.symlink(tmp + '/other', md + '/cur/1005.M1P1.h:2,S')
own(home)
p = Pop(home); p.line()
expect(p.cmd(b'STAT'), b'+OK 5 %d' % total, 'symlink not listed')
p.cmd(b'QUIT'); p.close()
# QUIT cannot unlink: temporary -ERR, the message stays
home, md = maildir('nounlink', base)
p = Pop(home); p.line()
expect(p.cmd(b'DELE 2'), b'+OK ', 'DELE 2')
os.chmod(md + '/cur', 0o550)
expect(p.cmd(b'QUIT'), b'-ERR [SYS/TEMP] unable to unlink all deleted messages', 'unlink fails')
p.close()
os.chmod(md + '/cur', 0o750)
expect('1001.M1P1.h,S=%d:2,S' % len(M2) in ls(md)[1], True, 'message kept')

# --- bad commands end the session --------------------------------------------
case = 'bad commands'
home, md = maildir('bad', base)
p = Pop(home); p.line()
p.send(b'XXXX\r\n' * 20)
for i in range(19): expect(p.line(), b'-ERR unimplemented', 'bad %d' % i)
expect(p.line(), b'-ERR unimplemented', 'bad 20')
expect(p.line(), b'-ERR too many bad commands', 'limit')
expect(p.p.wait(10), 0, 'exit')

sys.exit(bad)
EOT
python3 "$tmp/t.py" "$P" "$tmp" "$QV_SRC" || { cat "$tmp/log" 2>/dev/null | tail -20; exit 1; }
echo "t-pop3d: ok"
