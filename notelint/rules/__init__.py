"""Rules, one module per family; :mod:`.registry` is where codes live."""

from .registry import RULES, Rule, all_rules, rule  # noqa: F401
