#!/usr/bin/env python3
"""Checks the layering of src/ from its #include lines (run by scripts/test.sh).

Fails on:
  (a) an include cycle among our headers;
  (b) a file of src/core that names PHP or Zend (`grep -rlE 'php\\.h|zend' src/core`
      must print nothing) or includes anything outside src/core but the C library
      and OpenSSL: the core builds without PHP;
  (c) an include from one folder of src/core into another that the table below
      does not allow (a file directly in src/core, or in a folder the table does
      not know, fails too: add the folder to the table first);
  (d) a quoted include not written from src/ ("core/mime/header.h", "php/compose.h")
      or from the top directory (php_mailer.h, stubs/...), i.e. one that only
      resolves next to the including file.

    python3 scripts/check-includes.py            check; the last line is
                                                 "includes: 1 passed, 0 failed (...)"
    python3 scripts/check-includes.py --table    print the allowed edges
    python3 scripts/check-includes.py --root DIR check another tree
"""
import os
import re
import sys

# Which folders of src/core a folder may include from (its own always). A layer
# sees only those below it: util is the floor; send/ (the pipeline) and smime/
# are planned and listed so that they start inside the rules.
ALLOWED = {
    "util": set(),
    "mime": {"util"},
    "auth": {"util"},
    "crypto": {"util"},
    "dkim": {"util", "crypto"},
    "smime": {"util", "crypto"},
    "session": {"util", "auth"},
    "send": {"util", "mime", "dkim", "smime", "session"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
# What the core may include with <...>: the C library, POSIX/Windows headers, OpenSSL.
# Anything of PHP's (php.h, zend_*.h, main/, ext/, TSRM, SAPI.h) is refused by (b).
PHP_HEADER = re.compile(r"(^|/)(php[^/]*\.h|zend[^/]*\.h|SAPI\.h|TSRM\.h)$|^(main|ext|Zend|TSRM)/", re.I)


def sources(src):
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".c", ".h")):
                yield os.path.join(dirpath, name)


def core_folder(rel):
    """'core/mime/header.h' -> 'mime'; '' for a file directly in core/; None outside."""
    parts = rel.split("/")
    if parts[0] != "core":
        return None
    return parts[1] if len(parts) > 2 else ""


def find_cycle(graph):
    """One cycle of graph (dict node -> set of nodes) as a list, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def check(root):
    src = os.path.join(root, "src")
    problems = []
    header_graph = {}
    edges = {}
    files = includes = 0
    for path in sources(src):
        rel = os.path.relpath(path, src).replace(os.sep, "/")
        files += 1
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        folder = core_folder(rel)
        if folder is not None:
            for n, line in enumerate(text.split("\n"), 1):
                if re.search(r"php\.h|zend", line):
                    problems.append(f"src/{rel}:{n}: the core names PHP or Zend: {line.strip()}")
            if folder == "":
                problems.append(f"src/{rel}: a core file outside the folders of src/core")
            elif folder not in ALLOWED:
                problems.append(f"src/{rel}: folder core/{folder} is not in the table of "
                                f"scripts/check-includes.py (ALLOWED)")
        for m in INCLUDE.finditer(text):
            kind, name = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            where = f"src/{rel}:{line}"
            includes += 1
            if kind == "<":
                if folder is not None and PHP_HEADER.search(name):
                    problems.append(f"{where}: the core includes PHP's <{name}>")
                continue
            if os.path.isfile(os.path.join(src, name)):
                target = name
            elif os.path.isfile(os.path.join(root, name)):
                target = None  # php_mailer.h, stubs/*_arginfo.h, config.h: the glue's business
                if folder is not None:
                    problems.append(f'{where}: the core includes "{name}" from outside src/core')
                continue
            elif os.path.isfile(os.path.join(os.path.dirname(path), name)):
                problems.append(f'{where}: "{name}" is not written from src/ '
                                f'(e.g. "{os.path.relpath(os.path.join(os.path.dirname(path), name), src)}")')
                continue
            else:
                # not ours: PHP's own headers (found through php-config --includes), config.h
                if folder is not None:
                    problems.append(f'{where}: the core includes "{name}", which is not in src/core')
                continue
            if rel.endswith(".h") and target.endswith(".h"):
                header_graph.setdefault(rel, set()).add(target)
            if folder is None:
                continue  # the glue may include any layer of the core
            to = core_folder(target)
            if to is None:
                problems.append(f'{where}: the core includes the glue\'s "{target}"')
            elif to != folder and to != "":
                edges.setdefault((folder, to), []).append(where)
                if folder in ALLOWED and to not in ALLOWED[folder]:
                    allowed = ", ".join(sorted(ALLOWED[folder])) or "nothing"
                    problems.append(f'{where}: core/{folder} may not include core/{to} ("{target}"); '
                                    f"core/{folder} may include: {allowed}")
    cycle = find_cycle(header_graph)
    if cycle:
        problems.append("include cycle among headers: " + " -> ".join(cycle))
    return problems, files, includes, edges


def main(argv):
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    args = argv[1:]
    if "--root" in args:
        i = args.index("--root")
        root = os.path.abspath(args[i + 1])
        del args[i:i + 2]
    if args == ["--table"]:
        for folder, allowed in ALLOWED.items():
            print(f"  core/{folder:8} -> {', '.join(sorted(allowed)) or '(nothing)'}")
        return 0
    if args:
        sys.exit(__doc__)
    problems, files, includes, edges = check(root)
    for p in problems:
        print(f"FAILED: {p}")
    used = ", ".join(f"{a}->{b} ({len(w)})" for (a, b), w in sorted(edges.items()))
    print(f"edges between core folders: {used or '(none)'}")
    print(f"includes: {0 if problems else 1} passed, {1 if problems else 0} failed "
          f"({files} files, {includes} includes, {len(problems)} problems)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
