"""``notelint rule``, ``notelint rules`` and ``notelint schema``: documentation from the registry."""

from __future__ import annotations

import sys

from ..rules.docs import rule_meta, rule_page, rules_table, rules_text
from ..rules.selection import all_rules


def cmd_rule(args) -> int:
    from ..rules.selection import UnknownSelector, rule_by_name

    rules = all_rules()
    if args.all:
        if args.code:
            print("notelint: error: rule --all takes no RULE", file=sys.stderr)
            return 2
        sys.stdout.write("\n".join(rule_page(r) for r in rules.values()))
        return 0
    if not args.code:
        print("notelint: error: rule needs a RULE (a code or a name) or --all", file=sys.stderr)
        return 2
    found = rules.get(args.code.strip().upper()) or rule_by_name(args.code)
    if found is None:
        hint = UnknownSelector(args.code).hint
        print(f"notelint: error: unknown rule code or name '{args.code}'{hint}", file=sys.stderr)
        return 2
    sys.stdout.write(rule_page(found))
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

    name = {"note": "note.schema.json", "report": "report.schema.json", "config": "config.schema.json"}[args.which]
    sys.stdout.write(json.dumps(generated()[name], indent=2, ensure_ascii=False) + "\n")
    return 0


def cmd_completion(args, parser) -> int:
    """A completion script for ``args.shell``, generated from the parser by shtab."""
    import shtab

    sys.stdout.write(shtab.complete(parser, shell=args.shell))
    return 0
