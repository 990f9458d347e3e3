#!/usr/bin/env python3
"""gen.py - tests/data/debver/pairs.txt: pairs of Debian versions with
dpkg's own verdict, the oracle of tests/unit/test_debver.c.

  python3 tests/data/debver/gen.py > tests/data/debver/pairs.txt

Each line "A B R": R is "<", "=" or ">" as `dpkg --compare-versions A
lt|eq B` says.  The versions are generated (fixed seed) from the parts
deb-version(7) names: an epoch or none, an upstream version of digits,
letters, '.', '+', '~' (and '-' when there is a revision), a revision;
half the pairs are near misses of one version (a part changed, a '~'
added, zeros added), so equal and close versions are common.
"""
import random
import subprocess

rng = random.Random(20261206)
UP = "0123456789abcz.+~"
REV = "0123456789abz.+~"

FIXED = [
    ("1.0~rc1", "1.0"), ("1.0", "1.0-0"), ("1:1.0", "2.0"), ("1.0a", "1.0+"),
    ("1.0", "1.0."), ("1.0~", "1.0~~"), ("1.0~~a", "1.0~~"), ("0:1.0", "1.0"),
    ("1.01", "1.1"), ("1.001", "1.1"), ("1.0-1", "1.0-1~bpo1"),
    ("2.36-9+deb12u4", "2.36-9+deb12u3"), ("9.2p1-2+deb12u3", "9.2p1-2+deb12u2"),
    ("1.9.13p3-1+deb12u1", "1.9.13p3-1"), ("7.93+dfsg1-1", "7.93-1"),
    ("1:9.2p1-2", "9.9p9-9"), ("10:1", "9:2"), ("1.2.3-4-5", "1.2.3-4"),
    ("1a", "1A"), ("1.0-a", "1.0-A"), ("5.2.15-2+b2", "5.2.15-2"),
    ("99999999999999999999", "99999999999999999998"), ("0001", "1"),
    ("1.0+~", "1.0+"), ("1.0~a", "1.0~b"), ("1.0-1ubuntu1", "1.0-1"),
]


def part(chars, n):
    return "".join(rng.choice(chars) for _ in range(n))


def version():
    rev = rng.random() < 0.7
    up = str(rng.randint(0, 20)) + part(UP + ("-" if rev else ""), rng.randint(0, 6))
    v = up
    if rev:
        v += "-" + part(REV, rng.randint(1, 5))
    if rng.random() < 0.3:
        v = str(rng.choice([0, 1, 2, 10])) + ":" + v
    return v


def near(v):
    i = rng.randrange(len(v) + 1)
    c = rng.choice(["~", "0", "1", "a", ".", "+", "00", "~~"])
    w = v[:i] + c + v[i:]
    # a colon or a hyphen moved in would change the parts: keep v's
    return w if w.count(":") == v.count(":") and not w.startswith(("~", ".", "+", "a")) else v


def valid(v):
    return subprocess.run(["dpkg", "--compare-versions", v, "eq", v],
                          stderr=subprocess.DEVNULL).returncode == 0 and \
        subprocess.run(["dpkg", "--validate-version", v],
                       stderr=subprocess.DEVNULL).returncode == 0


def verdict(a, b):
    if subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0:
        return "<"
    if subprocess.run(["dpkg", "--compare-versions", a, "eq", b]).returncode == 0:
        return "="
    return ">"


pairs = list(FIXED)
while len(pairs) < 400:
    a = version()
    b = near(a) if rng.random() < 0.5 else version()
    if valid(a) and valid(b):
        pairs.append((a, b))
for a, b in pairs:
    print(a, b, verdict(a, b))
