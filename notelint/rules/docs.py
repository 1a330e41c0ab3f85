"""Rule documentation, generated from the registry: ``notelint rule CODE``,
``notelint rules`` (text, Markdown, JSON), the README's table, and the plain
metadata that reporters (SARIF) and the audit receive instead of rules."""

from __future__ import annotations

from .registry import Rule


def rule_meta(r: Rule) -> dict:
    """A rule as plain data (``notelint rules --format json``, SARIF, the audit)."""
    return {"code": r.code, "name": r.name, "severity": r.severity, "fix": r.fix, "default": r.default,
            "summary": r.summary, "family": r.family, "doc": r.doc}


def rule_page(r: Rule) -> str:
    fix = {"safe": "Fix: safe (applied by --fix)", "unsafe": "Fix: unsafe (--unsafe-fixes)", None: "Fix: none"}[r.fix]
    default = "" if r.default else " (off by default)"
    head = f"# {r.code} {r.name}\n\nSeverity: {r.severity}{default}. {fix}.\n\n"
    return head + r.doc + "\n"


def rules_table(rules: dict[str, Rule]) -> str:
    """The README's rule table."""
    lines = ["| code | name | severity | fix | what |", "| --- | --- | --- | --- | --- |"]
    for r in rules.values():
        sev = r.severity + ("" if r.default else " (off by default)")
        what = r.summary.replace("|", "\\|")
        lines.append(f"| {r.code} | {r.name} | {sev} | {r.fix or ''} | {what} |")
    return "\n".join(lines) + "\n"


def rules_text(rules: dict[str, Rule]) -> str:
    lines = []
    for r in rules.values():
        fix = "[*]" if r.fix else "   "
        off = " (off by default)" if not r.default else ""
        lines.append(f"{r.code}  {r.severity:<7} {fix} {r.name}: {r.summary}{off}\n")
    return "".join(lines)
