"""Stable finding fingerprints for SARIF and GitLab Code Quality.

Code scanning (SARIF ``partialFingerprints``) and GitLab's Code Quality
widget follow a finding from commit to commit by its fingerprint, so it must
not change when lines are inserted or deleted above the finding. It is the
SHA-256 (first 32 hex digits) of:

- the rule code,
- the file's path as reported (relative to the working directory),
- the offending source text: the characters the finding spans on its first
  line, white space runs collapsed; for a finding with an empty span (an
  uncited claim, a missing front matter field) the message instead, which
  names the offending text;
- an occurrence index: 0 for the first finding with the same code, path and
  text in line order, 1 for the second, and so on.

Not in it: line and column numbers, severity, and anything a message says
about other notes. So the fingerprint survives edits elsewhere in the note;
it changes when the offending text itself changes (then it is a new finding)
and, for exact duplicates, when one before it is added or removed.
"""

from __future__ import annotations

import hashlib
from collections import Counter

VERSION = "notelint/v1"  # the SARIF partialFingerprints key; bump when the recipe changes


def _snippet(f, raw_line) -> str:
    text = ""
    if raw_line is not None and f.end_line >= f.line and (f.end_line > f.line or f.end_col > f.col):
        line = raw_line(f.path, f.line)
        if line is not None:
            end = f.end_col - 1 if f.end_line == f.line else len(line)
            text = " ".join(line[f.col - 1 : end].split())
    return text or " ".join(f.message.split())


def fingerprints(findings, raw_line=None) -> list[str]:
    """One fingerprint per finding, in the order given (sort them first for stable indexes)."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        key = (f.code, f.path, _snippet(f, raw_line))
        index = seen[key]
        seen[key] += 1
        data = "\0".join((*key, str(index))).encode("utf-8", "surrogatepass")
        out.append(hashlib.sha256(data).hexdigest()[:32])
    return out
