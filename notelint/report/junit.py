"""``junit`` output: JUnit XML, as CI servers show test results.

One ``<testsuite name="notelint">``; one ``<testcase>`` per note checked
(``classname`` the note's folder, ``name`` its path, ``file`` its path); one
``<failure>`` per finding in it (``type`` the rule code, ``message``
``CODE message``, text ``path:line:col: CODE message``). A note without
findings is a passing test case. Control characters in paths and messages,
and characters XML 1.0 cannot hold, are written
as ``\\xNN``/``\\uNNNN`` escapes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from .escape import visible

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub(lambda m: repr(m.group())[1:-1], visible(text))


def _by_path(result) -> dict[str, list]:
    by_path: dict[str, list] = {p: [] for p in result.files}
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    return by_path


def _root(by_path: dict[str, list]) -> tuple[ET.Element, ET.Element]:
    failed = sum(1 for fs in by_path.values() if fs)
    counts = {"tests": str(len(by_path)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "notelint", **counts})
    return root, ET.SubElement(root, "testsuite", {"name": "notelint", **counts})


def _case(path: str, findings: list) -> ET.Element:
    folder = path.rsplit("/", 1)[0] if "/" in path else "."
    case = ET.Element("testcase", {"classname": _clean(folder), "name": _clean(path), "file": _clean(path)})
    for f in findings:
        failure = ET.SubElement(case, "failure", {"type": f.code, "message": _clean(f"{f.code} {f.message}")})
        failure.text = _clean(f"{f.path}:{f.line}:{f.col}: {f.code} [{f.severity}] {f.message}")
    return case


def junit_tree(result) -> ET.Element:
    by_path = _by_path(result)
    root, suite = _root(by_path)
    for path in sorted(by_path):
        suite.append(_case(path, by_path[path]))
    return root


_PLACE = "notelint: the test cases"


def lines(result, **_) -> Iterator[str]:
    """The document's lines, a note's test case at a time: the text :func:`render` writes,
    each case indented as it would be in the whole tree (``ET.indent`` at its level)."""
    by_path = _by_path(result)
    paths = sorted(by_path)
    root, suite = _root(by_path)
    if not paths:
        yield from render(result).splitlines()
        return
    ET.SubElement(suite, "testcase", {"name": _PLACE})
    ET.indent(root)
    text = _HEAD + ET.tostring(root, encoding="unicode")
    place = f'<testcase name="{_PLACE}" />'
    at = text.index(place)
    head, tail = text[:at], text[at + len(place) :]
    out = [head]
    for n, path in enumerate(paths):
        case = _case(path, by_path[path])
        ET.indent(case, level=2)
        case.tail = "\n    " if n + 1 < len(paths) else None
        out.append(ET.tostring(case, encoding="unicode"))
        if n % 100 == 99:
            piece = "".join(out)
            *done, rest = piece.split("\n")
            yield from done
            out = [rest]
    out.append(tail)
    yield from "".join(out).split("\n")


_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render(result, **_) -> str:
    root = junit_tree(result)
    ET.indent(root)
    return _HEAD + ET.tostring(root, encoding="unicode") + "\n"
