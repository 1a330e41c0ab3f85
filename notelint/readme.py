"""Keep the README's rule table generated from the registry.

``python -m notelint.readme --write`` rewrites the table between the
``<!-- rules:start -->`` and ``<!-- rules:end -->`` markers; a test fails when
it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def expected(text: str) -> str:
    from .rules.docs import rules_table
    from .rules.selection import all_rules

    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{rules_table(all_rules())}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["--write"]:
        print("usage: python -m notelint.readme --write", file=sys.stderr)
        return 2
    README.write_text(expected(README.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
