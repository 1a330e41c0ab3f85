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

from .escape import visible

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub(lambda m: repr(m.group())[1:-1], visible(text))


def junit_tree(result) -> ET.Element:
    by_path: dict[str, list] = {p: [] for p in result.files}
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    failed = sum(1 for fs in by_path.values() if fs)
    counts = {"tests": str(len(by_path)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "notelint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "notelint", **counts})
    for path in sorted(by_path):
        folder = path.rsplit("/", 1)[0] if "/" in path else "."
        case = ET.SubElement(suite, "testcase", {"classname": _clean(folder), "name": _clean(path), "file": _clean(path)})
        for f in by_path[path]:
            failure = ET.SubElement(case, "failure", {"type": f.code, "message": _clean(f"{f.code} {f.message}")})
            failure.text = _clean(f"{f.path}:{f.line}:{f.col}: {f.code} [{f.severity}] {f.message}")
    return root


def render(result, **_) -> str:
    root = junit_tree(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
