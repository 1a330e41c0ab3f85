"""``notelint rule``, ``notelint rules`` and ``notelint schema``: documentation from the registry."""

from __future__ import annotations

import sys

from ..rules.docs import rule_meta, rule_page, rules_table, rules_text
from ..rules.selection import all_rules


def cmd_rule(args) -> int:
    rules = all_rules()
    code = args.code.upper()
    if code not in rules:
        print(f"notelint: error: unknown rule code '{args.code}'", file=sys.stderr)
        return 2
    sys.stdout.write(rule_page(rules[code]))
    return 0


def cmd_rules(args) -> int:
    rules = all_rules()
    if args.format == "json":
        import json

        fields = ("code", "name", "severity", "fix", "default", "summary", "family")
        sys.stdout.write(json.dumps([{k: rule_meta(r)[k] for k in fields} for r in rules.values()], indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(rules_table(rules))
    else:
        sys.stdout.write(rules_text(rules))
    return 0


def cmd_schema(args) -> int:
    import json

    from ..schema import generated

    name = {"note": "note.schema.json", "report": "report.schema.json"}[args.which]
    sys.stdout.write(json.dumps(generated()[name], indent=2, ensure_ascii=False) + "\n")
    return 0
