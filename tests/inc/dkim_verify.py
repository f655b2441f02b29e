#!/usr/bin/python3
"""Verifies every DKIM-Signature of a message with dkimpy (Debian's
python3-dkim), an implementation independent of php-mailer's, taking the
public keys from a JSON file instead of DNS.

    /usr/bin/python3 tests/inc/dkim_verify.py MESSAGE_FILE KEYS_JSON

KEYS_JSON maps "selector._domainkey.domain" to its TXT record, e.g.
{"s1._domainkey.example.org": "v=DKIM1; k=rsa; p=MIIBIjAN..."}.
Prints one line per signature, top down:
    1 rsa-sha256 example.org s1: pass
    2 ed25519-sha256 example.org s2: fail (body hash mismatch)
and exits 0 when every signature passed (and there was at least one), 1 otherwise.
"""
import json
import sys

import dkim


def main():
    with open(sys.argv[1], "rb") as f:
        message = f.read()
    with open(sys.argv[2], "rb") as f:
        records = json.load(f)

    def dnsfunc(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode("ascii")
        record = records.get(name.rstrip("."))
        return record.encode("ascii") if record is not None else None

    d = dkim.DKIM(message, minkey=1024)
    sigs = [v for (n, v) in d.headers if n.lower() == b"dkim-signature"]
    if not sigs:
        print("no DKIM-Signature")
        return 1
    failed = 0
    for i, value in enumerate(sigs):
        tags = dkim.util.parse_tag_value(value)
        label = "%d %s %s %s" % (i + 1, tags.get(b"a", b"?").decode(), tags.get(b"d", b"?").decode(),
                                 tags.get(b"s", b"?").decode())
        try:
            ok = d.verify(idx=i, dnsfunc=dnsfunc)
            reason = "" if ok else " (signature mismatch)"
        except dkim.DKIMException as e:
            ok, reason = False, " (%s)" % e
        if not ok:
            failed += 1
        print("%s: %s%s" % (label, "pass" if ok else "fail", reason))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
