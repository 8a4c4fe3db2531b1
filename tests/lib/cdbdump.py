#!/usr/bin/env python3
"""tests/lib/cdbdump.py FILE — print every record of a cdb file, in file
order, as cdbdump does: +klen,dlen:key->data, then an empty line.
Independent of libowfat, so tests check our cdb files against the format
itself rather than against our own reader."""
import struct
import sys


def records(path):
    data = open(path, "rb").read()
    if len(data) < 2048:
        raise SystemExit("cdbdump: truncated header")
    end = min(struct.unpack_from("<I", data, 8 * i)[0] for i in range(256))
    pos = 2048
    while pos < end:
        klen, dlen = struct.unpack_from("<II", data, pos)
        pos += 8
        key = data[pos:pos + klen]
        pos += klen
        val = data[pos:pos + dlen]
        pos += dlen
        yield key, val


def main():
    out = sys.stdout.buffer
    for key, val in records(sys.argv[1]):
        out.write(b"+%d,%d:%s->%s\n" % (len(key), len(val), key, val))
    out.write(b"\n")


if __name__ == "__main__":
    main()
