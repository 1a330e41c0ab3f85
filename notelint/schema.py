"""JSON Schemas generated from the models, and the files in ``schemas/``.

Regenerate the files on purpose with ``python -m notelint.schema --write``;
``tests/test_schemas.py`` fails when they are out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def generated() -> dict[str, dict]:
    """file name -> schema, for every schema notelint generates."""
    from .config.model import Config
    from .models import front_matter_schema
    from .report.model import Report

    out = {
        "note.schema.json": front_matter_schema(),
        "report.schema.json": Report.model_json_schema(),
        "config.schema.json": config_schema(Config),
    }
    try:
        from .audit.model import AuditReport
    except ImportError:  # pragma: no cover - before the audit exists
        pass
    else:
        out["audit.schema.json"] = AuditReport.model_json_schema()
    return out


def config_schema(model) -> dict:
    """The ``[tool.notelint]`` table's JSON Schema, with the keys as written in TOML, for editors
    (Taplo / Even Better TOML, or a ``#:schema`` comment in ``notelint.toml``)."""
    schema = model.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def dumps(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["--write"]:
        print("usage: python -m notelint.schema --write", file=sys.stderr)
        return 2
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, schema in generated().items():
        (SCHEMA_DIR / name).write_text(dumps(schema), encoding="utf-8")
        print(f"wrote schemas/{name}")
    from .validate import SCHEMA_FILE

    SCHEMA_FILE.write_text(dumps(generated()["note.schema.json"]), encoding="utf-8")
    print(f"wrote notelint/{SCHEMA_FILE.name} (the packaged copy the fast front matter check reads)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
