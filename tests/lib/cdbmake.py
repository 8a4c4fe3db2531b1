#!/usr/bin/env python3
"""tests/lib/cdbmake.py FILE — write a cdb file from cdbmake-format records
on stdin (+klen,dlen:key->data lines, then an empty line), as D. J.
Bernstein's cdbmake does. Independent of libowfat, so fixtures written by
hand do not depend on the code under test. Writes FILE.tmp, renames."""
import os
import struct
import sys


def cdbhash(key):
    h = 5381
    for c in key:
        h = ((h << 5) + h) & 0xffffffff
        h ^= c
    return h


def parse(data):
    recs = []
    pos = 0
    while pos < len(data):
        if data[pos:pos + 1] == b"\n":
            break
        assert data[pos:pos + 1] == b"+", "expected +"
        comma = data.index(b",", pos)
        colon = data.index(b":", comma)
        klen = int(data[pos + 1:comma])
        dlen = int(data[comma + 1:colon])
        key = data[colon + 1:colon + 1 + klen]
        assert data[colon + 1 + klen:colon + 3 + klen] == b"->"
        val = data[colon + 3 + klen:colon + 3 + klen + dlen]
        pos = colon + 3 + klen + dlen
        assert data[pos:pos + 1] == b"\n"
        pos += 1
        recs.append((key, val))
    return recs


def write(path, recs):
    body = bytearray()
    tables = [[] for _ in range(256)]
    pos = 2048
    for key, val in recs:
        h = cdbhash(key)
        tables[h & 255].append((h, pos))
        rec = struct.pack("<II", len(key), len(val)) + key + val
        body += rec
        pos += len(rec)
    header = bytearray()
    tail = bytearray()
    for t in tables:
        n = len(t) * 2
        slots = [(0, 0)] * n
        for h, p in t:
            i = (h >> 8) % n
            while slots[i][1]:
                i = (i + 1) % n
            slots[i] = (h, p)
        header += struct.pack("<II", pos + len(tail), n)
        for h, p in slots:
            tail += struct.pack("<II", h, p)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(header + body + tail)
    os.rename(tmp, path)


if __name__ == "__main__":
    write(sys.argv[1], parse(sys.stdin.buffer.read()))
