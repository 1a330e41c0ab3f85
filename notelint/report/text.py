"""``text``, ``concise`` and ``grouped`` output: ``path:line:col: CODE message``, or, grouped
(as ruff's), each note's path once followed by its findings as ``  line:col CODE message``.
Control characters in paths and messages are shown as escapes
(:func:`notelint.report.escape.visible`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .escape import visible

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _caret(source: str, col: int, end_col: int, same_line: bool) -> str:
    width = max(1, (end_col - col) if same_line and end_col > col else 1)
    width = min(width, max(1, len(source) - col + 1))
    prefix = "".join(ch if ch == "\t" else " " for ch in source[: col - 1])
    return prefix + "^" * width


_SOURCE_WIDTH = 160  # a longer source line is shown as a window around the finding


def _window(source: str, col: int, end_col: int) -> tuple[str, int, int]:
    """At most ``_SOURCE_WIDTH`` characters of ``source`` around ``col`` (columns shifted to match)."""
    if len(source) <= _SOURCE_WIDTH:
        return source, col, end_col
    start = max(0, min(col - 1 - _SOURCE_WIDTH // 3, len(source) - _SOURCE_WIDTH))
    end = start + _SOURCE_WIDTH
    head = "…" if start > 0 else ""
    shift = start - len(head)
    return head + source[start:end] + ("…" if end < len(source) else ""), col - shift, end_col - shift


def render(result, **options) -> str:
    return "".join(f"{line}\n" for line in lines(result, **options))


def lines(result, *, fmt: str = "text", show_source: bool = False, color: bool = False,
          statistics: bool = False, rule_names: dict | None = None, source_lines=None,
          unsafe_fixes: bool = False, summary: bool = True, **_) -> Iterator[str]:
    """The report's lines, one at a time (a whole vault's report is never held as one text)."""
    findings = result.findings
    paint = (lambda code, text: f"{code}{text}{_RESET}") if color else (lambda code, text: text)

    def fixable_by_fix(f) -> bool:  # what --fix (with --unsafe-fixes when given) would repair
        return f.fix is not None and (f.fix.safe or unsafe_fixes)

    if statistics:
        # count, code, how many of them --fix repairs, [*] when any, rule name
        counts = Counter(f.code for f in findings)
        fixable = Counter(f.code for f in findings if fixable_by_fix(f))
        width = max((len(str(n)) for n in counts.values()), default=1)
        if counts:
            yield f"{'count':>{width}}\tcode\tfixable\trule"
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            mark = "[*]" if fixable[code] else "   "
            name = (rule_names or {}).get(code, "")
            yield f"{n:>{width}}\t{code}\t{fixable[code]:>7}\t{mark} {name}".rstrip()
        return
    previous = None
    for f in findings:
        mark = "[*] " if fixable_by_fix(f) else ""
        code = paint(_COLORS.get(f.severity, ""), f.code)
        path, message = visible(f.path), visible(f.message)
        if fmt == "grouped":
            if f.path != previous:
                if previous is not None:
                    yield ""
                yield paint(_BOLD, path) + ":"
                previous = f.path
            yield f"  {f.line}:{f.col} {code} {mark}{message}"
            continue
        yield f"{paint(_BOLD, path)}:{f.line}:{f.col}: {code} {mark}{message}"
        if fmt == "text" and show_source and source_lines is not None:
            src = source_lines(f.path, f.line)
            if src is not None:
                src, col, end_col = _window(src, f.col, f.end_col if f.end_line == f.line else f.col)
                yield f"  {f.line:>4} | {src}"
                yield "       | " + paint(_COLORS.get(f.severity, ""), _caret(src, col, end_col, f.end_line == f.line))
    if fmt == "grouped" and findings and summary:
        yield ""
    if fmt in ("text", "grouped") and summary:
        n = len(findings)
        files = len(result.files)
        if n == 0:
            yield paint(_BOLD, f"All checks passed! ({files} {'note' if files == 1 else 'notes'} checked)")
        else:
            sev = Counter(f.severity for f in findings)
            parts = [f"{sev[s]} {s}{'s' if sev[s] != 1 else ''}" for s in ("error", "warning", "info") if sev[s]]
            fixable = sum(1 for f in findings if fixable_by_fix(f))
            hidden = sum(1 for f in findings if f.fix is not None and not fixable_by_fix(f))
            option = "--fix --unsafe-fixes" if unsafe_fixes else "--fix"
            tail = f" [*] {fixable} fixable with {option}." if fixable else ""
            if hidden:
                tail += f" ({hidden} more with --unsafe-fixes.)"
            yield paint(_BOLD, f"Found {n} finding{'s' if n != 1 else ''} ({', '.join(parts)}) in {files} {'note' if files == 1 else 'notes'}.") + tail
