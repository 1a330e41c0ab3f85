"""The fast front matter check: in sync with the model, and never more lenient than it."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from notelint import models, validate
from notelint.schema import dumps, generated


def test_packaged_schema_copy_is_up_to_date():
    assert validate.SCHEMA_FILE.read_text(encoding="utf-8") == dumps(generated()["note.schema.json"]), (
        "notelint/note_schema.json is out of date: run `python -m notelint.schema --write`"
    )


def test_fast_check_compiles_the_schema():
    assert validate._fast_check() is not None


GOOD = {"title": "Bridge loads", "videoId": "bR1dg3-Sp4n"}


def test_valid_front_matter_passes_without_errors():
    assert validate.validate_front_matter(GOOD) == []
    assert validate.validate_front_matter({**GOOD, "aliases": ["Loads"], "tags": [], "duration": "00:58:15"}) == []


def test_invalid_front_matter_gets_the_models_errors():
    bad = {"title": "Bridge loads\n", "videoId": 12345678901}
    assert validate.validate_front_matter(bad) == models.validate_front_matter(bad)
    assert {e["loc"][0] for e in validate.validate_front_matter(bad)} == {"title", "videoId"}


def test_trailing_newline_is_not_accepted_by_the_fast_check():
    # Python's "$" matches before a final newline; pydantic's regex engine does not.
    check = validate._fast_check()
    assert not check({"title": "Bridge loads\n", "videoId": "bR1dg3-Sp4n"})
    assert not check({"title": "Bridge loads", "videoId": "bR1dg3-Sp4n\n"})


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.dates(),
    st.text(max_size=14),
    st.sampled_from(["bR1dg3-Sp4n", "00:58:15", "0:58:15", " A ", "A\nB", "", "12345678901", "x" * 11]),
    st.lists(st.one_of(st.text(max_size=5), st.integers(), st.none()), max_size=3),
)
keys = st.sampled_from(["title", "videoId", "aliases", "tags", "duration", "videoid", "extra"])


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_fast_check_is_never_more_lenient_than_the_model(data):
    if validate._fast_check()(data):
        assert models.validate_front_matter(data) == [], json.dumps(data, default=str)
    assert bool(validate.validate_front_matter(data)) == bool(models.validate_front_matter(data))


def test_dates_are_not_strings():
    assert validate.validate_front_matter({"title": dt.date(2024, 1, 1), "videoId": "bR1dg3-Sp4n"})
