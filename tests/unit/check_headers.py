#!/usr/bin/python3
"""Checks header fields written by src/core/mime/header.c with an independent parser,
Python's email package (policy=default): each decoded value must equal the
expected text exactly, and every line must be well formed.

Usage: /usr/bin/python3 check_headers.py FILE
(tests/unit/test_header.c writes FILE and runs this; standard library only.)

FILE holds one record a line, four tab-separated fields:
    kind  name  hex(expected, UTF-8)  hex(the field as written, CRLF included)
kind  u  unstructured field: str(msg[name]) == expected
      a  address field: expected is "display-name \\x1f addr-spec" items joined
         by \\x1e ("" for the undisclosed-recipients group); see same_names()
      p  MIME parameter of a "Content-Disposition: attachment" field (name is
         the parameter): params[name] == expected, no defects
      P  the same written with also_legacy: the legacy param="=?...?=" form
         comes first and Python reads it, flagging defects we expect
Prints each failure to stderr and "checked N, failed M" to stdout; exits 1
when something failed.
"""
import re
import sys
from email import policy
from email.parser import BytesParser
import email._header_value_parser as hvp


def python_keeps_space_between_encoded_words():
    # CPython before gh-128110 keeps the whitespace between two adjacent
    # encoded words in a display name, which RFC 2047 6.2 says to ignore.
    raw = b"To: =?UTF-8?Q?a?= =?UTF-8?Q?b?= <a@x.org>\r\n\r\n"
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    return msg["To"].addresses[0].display_name != "ab"


def patch_gh_128110():
    # The upstream fix, applied locally: whitespace after an encoded word that
    # is followed by another one is dropped.
    original = hvp.get_atom

    def get_atom(value):
        atom, rest = original(value)
        if (len(atom) >= 2 and atom[-2].token_type == "encoded-word"
                and atom[-1].token_type == "cfws" and str(atom[-1]).strip() == ""
                and rest.startswith("=?")):
            try:
                hvp.get_encoded_word(rest)
            except Exception:
                return atom, rest
            atom[-1] = hvp.EWWhiteSpaceTerminal(str(atom[-1]), "fws")
        return atom, rest

    hvp.get_atom = get_atom


def collapse(text):
    return re.sub(r"[ \t]+", " ", text)


def same_names(got, expected):
    # Python's display_name collapses each whitespace run inside an encoded
    # word to one space (tabs included), so names written as encoded words
    # (those with non-ASCII or control characters) compare modulo that.
    got = [item.split("\x1f") for item in got.split("\x1e")]
    expected = [item.split("\x1f") for item in expected.split("\x1e")]
    if len(got) != len(expected):
        return False
    for (gname, gaddr), (ename, eaddr) in zip(got, expected):
        if gaddr != eaddr:
            return False
        if gname != ename and not (any(c < " " or c > "~" for c in ename)
                                   and collapse(gname) == collapse(ename)):
            return False
    return True


def line_problems(raw):
    if not raw.endswith(b"\r\n"):
        return "does not end with CRLF"
    lines = raw[:-2].split(b"\r\n")
    for n, line in enumerate(lines):
        if b"\r" in line or b"\n" in line:
            return "bare CR or LF in line %d" % n
        if any(b >= 0x80 for b in line):
            return "8-bit byte in line %d" % n
        if len(line) > 998:
            return "line %d is %d long" % (n, len(line))
        if n and line[:1] not in (b" ", b"\t"):
            return "continuation line %d does not start with whitespace" % n
        if line.strip(b" \t") == b"":
            return "line %d is only whitespace" % n
        if line.endswith((b" ", b"\t")):
            return "line %d ends with whitespace" % n
    return None


def check(kind, name, expected, raw):
    problem = line_problems(raw)
    if problem:
        return problem
    if kind in "pP":
        raw = b"Content-Disposition: attachment" + raw + b"\r\n"
    msg = BytesParser(policy=policy.default).parsebytes(raw + b"\r\nbody\r\n")
    if kind == "u":
        header = msg[name]
        got = str(header)
    elif kind == "a":
        header = msg[name]
        got = "\x1e".join("%s\x1f%s" % (a.display_name, a.addr_spec) for a in header.addresses)
        if got != expected and same_names(got, expected):
            got = expected
    else:
        header = msg["Content-Disposition"]
        got = header.params.get(name)
    if got != expected:
        return "decoded %r, expected %r" % (got, expected)
    if kind != "P" and header.defects:
        return "defects %r" % (header.defects,)
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    if python_keeps_space_between_encoded_words():
        patch_gh_128110()
    checked = failed = 0
    with open(sys.argv[1], "rb") as f:
        for number, record in enumerate(f, 1):
            kind, name, expected, raw = record.rstrip(b"\n").split(b"\t")
            kind, name = kind.decode(), name.decode()
            expected, raw = bytes.fromhex(expected.decode()).decode(), bytes.fromhex(raw.decode())
            checked += 1
            try:
                problem = check(kind, name, expected, raw)
            except Exception as e:  # a parser crash is a failure too
                problem = "exception %r" % (e,)
            if problem:
                failed += 1
                sys.stderr.write("check_headers.py: record %d (%s %s): %s\n  %r\n"
                                 % (number, kind, name, problem, raw))
    print("checked %d, failed %d" % (checked, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
