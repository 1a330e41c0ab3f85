"""``sarif`` output: SARIF 2.1.0, as GitHub code scanning and other viewers read it.

One run; its driver lists every rule (from the rule metadata the CLI passes
as plain data, ``rule_meta``), each result names its rule by id and index and
carries a region (1-based lines, columns in Unicode code points, end column
exclusive) and a stable ``partialFingerprints`` entry (see
:mod:`notelint.report.fingerprint`). Paths are relative URIs (forward
slashes, percent-encoded) against ``%SRCROOT%``, the folder notelint ran in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

from .stream import HOLE, json_lines
from .fingerprint import VERSION, fingerprints

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> dict:
    posix = path.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:/", posix):
        from pathlib import PurePosixPath, PureWindowsPath

        p = PurePosixPath(posix) if posix.startswith("/") else PureWindowsPath(posix)
        return {"uri": p.as_uri()}
    return {"uri": quote(posix, safe="/-._~!$&'()*+,;=@"), "uriBaseId": "%SRCROOT%"}


def _section(doc: str, title: str) -> str:
    """The text of a ``## title`` section of a rule doc, as one paragraph per blank line."""
    m = re.search(rf"^## {re.escape(title)}\s*\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    if not m:
        return ""
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", m.group(1).strip())]
    return "\n\n".join(p for p in paras if p)


def rule_descriptor(code: str, meta: dict) -> dict:
    summary = meta.get("summary") or meta.get("name") or code
    doc = meta.get("doc") or summary
    full = _section(doc, "What it does") or summary
    descriptor = {
        "id": code,
        "name": meta.get("name") or code,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {
            "level": LEVELS.get(meta.get("severity", "error"), "error"),
            "enabled": bool(meta.get("default", True)),
        },
        "properties": {"tags": ["notelint"] + ([meta["family"]] if meta.get("family") else [])},
    }
    if meta.get("fix"):
        descriptor["properties"]["fix"] = meta["fix"]
    return descriptor


def sarif_dict(result, rule_meta: dict | None = None, raw_line=None, results=None) -> dict:
    """The SARIF document (``results``: what its results list holds instead of every result,
    :data:`~.stream.HOLE` for :func:`lines`)."""
    from .. import __version__

    meta = dict(rule_meta or {})
    for f in result.findings:  # a finding of a rule the CLI did not describe still gets a descriptor
        meta.setdefault(f.code, {"name": f.code, "severity": f.severity})
    codes = sorted(meta)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "notelint",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": [rule_descriptor(c, meta[c]) for c in codes],
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": list(_results(result, codes, raw_line)) if results is None else results,
        }],
    }


def _results(result, codes: list[str], raw_line) -> Iterator[dict]:
    index = {c: i for i, c in enumerate(codes)}
    for f, fp in zip(result.findings, fingerprints(result.findings, raw_line)):
        line, col = max(f.line, 1), max(f.col, 1)
        end_line, end_col = f.end_line, f.end_col
        if end_line < line or (end_line == line and end_col < col):
            end_line, end_col = line, col  # an empty region at the start
        yield {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS.get(f.severity, "error"),
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": artifact_uri(f.path),
                    "region": {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col},
                }
            }],
            "partialFingerprints": {VERSION: fp},
        }


def lines(result, *, rule_meta: dict | None = None, raw_lines=None, **_) -> Iterator[str]:
    """The document's lines, a result at a time."""
    doc = sarif_dict(result, rule_meta, raw_lines, [HOLE])
    codes = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
    yield from json_lines(doc, _results(result, codes, raw_lines))


def render(result, *, rule_meta: dict | None = None, raw_lines=None, **_) -> str:
    return "".join(f"{line}\n" for line in lines(result, rule_meta=rule_meta, raw_lines=raw_lines))
