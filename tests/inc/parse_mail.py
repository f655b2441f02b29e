#!/usr/bin/python3
"""Independent MIME parser for php-mailer tests (Python stdlib only).

    /usr/bin/python3 -I tests/inc/parse_mail.py [MESSAGE_FILE]   (default: stdin)

Parses with email.parser.BytesParser(policy=email.policy.default) and prints
one JSON object:
  headers    [[name, decoded value], ...] of the top-level header, in order
  defects    ["<path>: <DefectClass>", "<path>: header <Name>: <DefectClass>",
              "<path>: text not decodable as <charset>", ...]; path "root" for
              the top level
  max_line   longest line in octets, line terminator (CRLF or LF) excluded
  bare_lf    any LF not preceded by CR
  bare_cr    any CR not followed by LF
  size       octets of the whole message
  parts      leaf parts in order: {path ("1", "1.2", IMAP style), content_type,
             charset, cte, disposition, filename (decoded), content_id, size
             (decoded octets), sha256 (of decoded octets), text (decoded str
             for text/*, line endings as sent; else null), headers}
             message/rfc822 parts are leaves (their bytes as re-serialised)
  structure  e.g. "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)"
Strings carrying undecodable bytes are returned as UTF-8 with U+FFFD.
"""
import email.policy
import hashlib
import json
import sys
from email.parser import BytesParser


def clean(s):
    if s is None:
        return None
    s = str(s)
    try:
        return s.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')
    except UnicodeError:
        return s.encode('utf-8', 'replace').decode('utf-8')


def header_list(part, label, defects):
    out = []
    for name, value in part.items():
        try:
            text = str(value)
        except Exception as e:  # noqa: BLE001 - report, do not crash
            text = part.get_all(name, [''])[0]
            defects.append(f"{label}: header {name}: {type(e).__name__}")
        for d in getattr(value, 'defects', ()):
            defects.append(f"{label}: header {name}: {type(d).__name__}")
        out.append([clean(name), clean(text)])
    return out


def leaf(part, path, defects):
    label = path
    if part.is_multipart():  # message/rfc822 and friends
        inner = part.get_payload()
        body = inner[0].as_bytes() if inner else b''
    else:
        body = part.get_payload(decode=True) or b''
    text = None
    if part.get_content_maintype() == 'text':
        cs = part.get_content_charset() or 'us-ascii'
        try:
            text = body.decode(cs)
        except (LookupError, UnicodeDecodeError):
            defects.append(f"{label}: text not decodable as {cs}")
            try:
                text = body.decode(cs, 'replace')
            except LookupError:
                text = body.decode('utf-8', 'replace')
    cte = part.get('Content-Transfer-Encoding')
    cid = part.get('Content-ID')
    try:
        filename = part.get_filename()
    except Exception as e:  # noqa: BLE001
        filename = None
        defects.append(f"{label}: filename: {type(e).__name__}")
    return {
        'path': path,
        'content_type': part.get_content_type(),
        'charset': clean(part.get_content_charset()),
        'cte': clean(str(cte).strip().lower()) if cte is not None else None,
        'disposition': part.get_content_disposition(),
        'filename': clean(filename),
        'content_id': clean(str(cid).strip()) if cid is not None else None,
        'size': len(body),
        'sha256': hashlib.sha256(body).hexdigest(),
        'text': clean(text),
        'headers': header_list(part, label, []),
    }


def walk(part, path, parts, defects, depth=0):
    label = path or 'root'
    ctype = part.get_content_type()
    if part.get_content_maintype() == 'multipart' and part.is_multipart() and depth < 50:
        kids = []
        for i, sub in enumerate(part.get_payload(), 1):
            kids.append(walk(sub, f"{path}.{i}" if path else str(i), parts, defects, depth + 1))
        result = f"{ctype}({','.join(kids)})"
    else:
        parts.append(leaf(part, path or '1', defects))
        result = ctype
    # collected after decoding: get_payload(decode=True) may add defects
    for d in part.defects:
        defects.append(f"{label}: {type(d).__name__}")
    if path:
        header_list(part, label, defects)
    return result


def main():
    if len(sys.argv) > 1:
        with open(sys.argv[1], 'rb') as f:
            data = f.read()
    else:
        data = sys.stdin.buffer.read()
    msg = BytesParser(policy=email.policy.default).parsebytes(data)
    defects = []
    headers = header_list(msg, 'root', defects)
    parts = []
    structure = walk(msg, '', parts, defects)
    lines = data.split(b'\n')
    if lines and lines[-1] == b'':
        lines.pop()
    max_line = max((len(l[:-1] if l.endswith(b'\r') else l) for l in lines), default=0)
    result = {
        'headers': headers,
        'defects': defects,
        'max_line': max_line,
        'bare_lf': any(not l.endswith(b'\r') for l in data.split(b'\n')[:-1]),
        'bare_cr': b'\r' in data.replace(b'\r\n', b''),
        'size': len(data),
        'parts': parts,
        'structure': structure,
    }
    sys.stdout.write(json.dumps(result, ensure_ascii=True, indent=1))
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
