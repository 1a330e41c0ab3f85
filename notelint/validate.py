"""Front matter validation without paying for pydantic on every run.

The pydantic model (:mod:`notelint.models`) decides. Most front matter is
valid, though, and importing pydantic and building the model costs a
pre-commit run about a tenth of a second. So a check compiled from the
model's own JSON Schema (``note_schema.json``, generated from the model with
``python -m notelint.schema --write`` and kept in sync by a test) answers
first: when it says "valid", the value is valid; in every other case,
including any schema keyword it does not know, the model is asked and its
errors are what the rules report. The check is conservative by construction:
it can only send more front matter to pydantic, never less
(``tests/test_validate.py`` checks this on generated values).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

SCHEMA_FILE = Path(__file__).with_name("note_schema.json")
_IGNORED = {"title", "description", "default", "$schema", "examples"}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: type(v) is str,
    "array": lambda v: type(v) is list,
    "null": lambda v: v is None,
    "object": lambda v: type(v) is dict,
    "boolean": lambda v: type(v) is bool,
    "integer": lambda v: type(v) is int,
}


class _Unknown(Exception):
    """A schema keyword the fast check does not interpret."""


def _compile(schema: dict) -> Callable[[Any], bool]:
    checks: list[Callable[[Any], bool]] = []
    for key, value in schema.items():
        if key in _IGNORED:
            continue
        if key == "type" and value in _TYPES:
            checks.append(_TYPES[value])
        elif key == "pattern":
            # JSON Schema patterns search; "$" must mean the very end, as in pydantic's engine
            rx = re.compile(value[:-1] + r"\Z" if value.endswith("$") and not value.endswith("\\$") else value)
            checks.append(lambda v, rx=rx: type(v) is not str or rx.search(v) is not None)
        elif key == "minLength":
            checks.append(lambda v, n=value: type(v) is not str or len(v) >= n)
        elif key == "maxLength":
            checks.append(lambda v, n=value: type(v) is not str or len(v) <= n)
        elif key == "items" and isinstance(value, dict):
            item = _compile(value)
            checks.append(lambda v, item=item: type(v) is not list or all(item(x) for x in v))
        elif key == "anyOf" and isinstance(value, list):
            options = [_compile(o) for o in value]
            checks.append(lambda v, options=options: any(o(v) for o in options))
        elif key == "properties" and isinstance(value, dict):
            props = {k: _compile(v) for k, v in value.items()}
            checks.append(lambda v, props=props: type(v) is not dict or all(p(v[k]) for k, p in props.items() if k in v))
        elif key == "required" and isinstance(value, list):
            checks.append(lambda v, req=tuple(value): type(v) is not dict or all(k in v for k in req))
        elif key == "additionalProperties" and value is False:
            known = frozenset(schema.get("properties", {}))
            checks.append(lambda v, known=known: type(v) is not dict or all(type(k) is str and k in known for k in v))
        else:
            raise _Unknown(key)
    return lambda v: all(c(v) for c in checks)


@lru_cache(maxsize=1)
def _fast_check() -> Callable[[Any], bool] | None:
    try:
        return _compile(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    except (OSError, ValueError, _Unknown):
        return None


def validate_front_matter(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Validation errors of ``data`` against the front matter model; [] when valid."""
    check = _fast_check()
    if check is not None and check(data):
        return []
    from .models import validate_front_matter as model_validate

    return model_validate(data)
