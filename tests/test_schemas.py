"""Generated files stay in sync with the code they are generated from.

* ``schemas/*.schema.json`` from the pydantic models: ``python -m notelint.schema --write``
* the README rule table from the rule registry: ``python -m notelint.readme --write``
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import REPO

from notelint import readme, schema

SCHEMAS = REPO / "schemas"


@pytest.mark.parametrize("name", ["note.schema.json", "report.schema.json", "config.schema.json"])
def test_schema_file_is_up_to_date(name):
    generated = schema.generated()
    assert name in generated
    path = SCHEMAS / name
    assert path.is_file(), f"schemas/{name} is missing: run `python -m notelint.schema --write`"
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == generated[name], f"schemas/{name} is out of date: run `python -m notelint.schema --write`"
    # and it is written exactly as the generator writes it (no hand edits to the layout)
    assert path.read_text(encoding="utf-8") == schema.dumps(generated[name]), (
        f"schemas/{name} is not formatted as generated: run `python -m notelint.schema --write`"
    )


def test_every_generated_schema_has_its_file():
    missing = [n for n in schema.generated() if not (SCHEMAS / n).is_file()]
    assert not missing, f"missing {missing}: run `python -m notelint.schema --write`"


@pytest.mark.parametrize("name", ["note.schema.json", "report.schema.json", "config.schema.json"])
def test_schema_file_is_a_valid_json_schema(name):
    doc = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert doc.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.validators.validator_for(doc).check_schema(doc)


def test_note_schema_accepts_and_refuses_front_matter():
    doc = json.loads((SCHEMAS / "note.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(doc)(doc)
    assert validator.is_valid({"title": "Bridge loads", "videoId": "bR1dg3-Sp4n", "duration": "00:42:10"})
    assert not validator.is_valid({"title": "Bridge loads"})  # videoId missing
    assert not validator.is_valid({"title": " padded ", "videoId": "bR1dg3-Sp4n"})
    assert not validator.is_valid({"title": "Bridge loads", "videoId": "short"})
    assert not validator.is_valid({"title": "Bridge loads", "videoId": "bR1dg3-Sp4n", "author": "x"})


def test_config_schema_accepts_this_repository_and_refuses_mistakes():
    """The editors' schema of ``[tool.notelint]`` agrees with the configuration model."""
    import tomllib

    doc = json.loads((SCHEMAS / "config.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(doc)(doc)
    ours = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["notelint"]
    assert validator.is_valid(ours)
    assert validator.is_valid({"exclude": ["drafts"], "extend-exclude": ["**/tmp-*.md"], "respect-gitignore": False,
                               "per-file-ignores": {"channels/*.md": ["FM003"]}, "fail-level": "error"})
    assert not validator.is_valid({"exlude": ["drafts"]})  # a typo: unknown keys are refused, as notelint does
    assert not validator.is_valid({"respect-gitignore": "yes"})
    assert not validator.is_valid({"fail-level": "fatal"})
    assert set(doc["properties"]) >= {"vault", "exclude", "extend-exclude", "respect-gitignore", "force-exclude",
                                      "per-file-ignores", "select", "ignore"}


def test_readme_rule_table_is_up_to_date():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.START in text and readme.END in text, "README.md lost its rule table markers"
    assert text == readme.expected(text), "the README rule table is out of date: run `python -m notelint.readme --write`"


def test_readme_rule_table_lists_every_rule():
    from notelint.rules.selection import all_rules

    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.partition(readme.START)[2].partition(readme.END)[0]
    codes = [line.split("|")[1].strip() for line in table.strip().splitlines()[2:]]
    assert codes == list(all_rules())
