"""tests/lib/mailclient.py — what the end-to-end tests' python3 clients
share (importable as `mailclient`: sandbox_init puts tests/lib on
PYTHONPATH): a TCP connection from a chosen source address, an SMTP
reply reader, a POP3 CAPA reader and a TLS client context for the
sandbox's self-signed certificates. Only the standard library."""
import socket
import ssl


def connect(port, src='127.0.0.1', timeout=10, host='127.0.0.1'):
    """A connection from src (any port) to host:port with the timeout;
    returns (socket, its binary reader)."""
    s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET)
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect((host, port))
    return s, s.makefile('rb')


def smtp_reply(f):
    """One SMTP reply, every line of a multi-line one, as text; what
    came before EOF ('' at once at EOF)."""
    out = b''
    while True:
        l = f.readline()
        if not l:
            return out.decode(errors='replace')
        out += l
        if len(l) < 4 or l[3:4] != b'-':
            return out.decode(errors='replace')


def pop3_capa(s, f):
    """Sends CAPA on s; returns the lines read from f as they came (CRLF
    kept), the status line first, up to and including '.' or b'' at EOF."""
    s.sendall(b'CAPA\r\n')
    out = []
    while True:
        l = f.readline()
        out.append(l)
        if l in (b'.\r\n', b''):
            return out


def tls_context():
    """A TLS client context that checks neither name nor chain: the
    sandbox's certificates are self-signed."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx
