"""CL: claims and their citations (CL001; CL002 off by default).

Bodies built by ``note()`` start on line 8. A claim is reported at the start
of its own text: column 5 for a ``*   `` list item, 3 for ``> `` and ``| ``.
"""

from __future__ import annotations

import pytest
from conftest import cite, codes, messages, note

C = cite("00:01:00")
CL = {"select": ["CL"]}


def one(vault, body: str, **kw):
    return vault({"a.md": note(body)}, **{**CL, **kw})


# -- CL001 -----------------------------------------------------------------


def test_cl001_uncited_paragraph(vault):
    result = one(vault, "Suspension bridges carry the deck on hangers.\n")
    assert codes(result) == [("CL001", 8, 1)]
    assert messages(result) == ["claim without a citation: 'Suspension bridges carry the deck on hangers.'"]


def test_cl001_uncited_list_item(vault):
    result = one(vault, f"*   A cited item {C}.\n*   An uncited item.\n")
    assert codes(result) == [("CL001", 9, 5)]


def test_cl001_uncited_nested_list_item_and_its_parent(vault):
    result = one(vault, f"1.  Parent item text.\n    *   Nested cited {C}.\n    *   Nested uncited.\n")
    assert codes(result) == [("CL001", 8, 5), ("CL001", 10, 9)]


def test_cl001_uncited_table_row(vault):
    body = f"| Part | Role |\n| --- | --- |\n| deck | carries traffic {C} |\n| cable | holds the deck |\n"
    result = one(vault, body)
    assert codes(result) == [("CL001", 11, 3)]


def test_cl001_uncited_block_quote_paragraph(vault):
    result = one(vault, f"> A quoted, cited claim {C}.\n>\n> A quoted uncited claim.\n")
    assert codes(result) == [("CL001", 10, 3)]


def test_cl001_bold_label_followed_by_prose_is_a_claim(vault):
    result = one(vault, "*   **Label**: a claim after the label.\n")
    assert codes(result) == [("CL001", 8, 5)]


def test_cl001_near_miss_a_callout_is_an_aside_cl003(vault):
    result = one(vault, "> [!info] Title\n> The body line restates a claim.\n", select=["CL001"])
    assert codes(result) == []
    result = one(vault, "> [!info] Title\n> The body line restates a claim.\n", select=["CL001"], extend_select=["CL003"])
    assert codes(result) == [("CL003", 9, 3)]
    assert messages(result) == ["callout without a citation: 'The body line restates a claim.'"]


def test_cl001_callout_title_citation_does_not_cite_the_body(vault):
    result = one(vault, f"> [!info] Title {C}\n> The body line makes a claim.\n")
    assert codes(result) == [("CL001", 9, 3)]


def test_cl001_line_after_the_source_line(vault):
    text = "---\ntitle: A\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\nAn uncited claim.\n"
    result = vault({"a.md": text}, **CL)
    assert codes(result) == [("CL001", 7, 1)]


def test_cl001_column_counts_characters(vault):
    result = one(vault, f"*   Ünïcödé cited {C}.\n*   Ünïcödé uncited.\n".replace("\n", "\r\n"))
    assert codes(result) == [("CL001", 9, 5)]


# -- CL001 exemptions (near-misses) ------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("## An uncited heading\n\nSetext heading\n---\n", id="heading"),
        pytest.param("The following points come from the talk:\n", id="lead-in"),
        pytest.param("The talk makes **three points:**\n", id="lead-in-in-bold"),
        pytest.param(f"*   **Label**:\n    *   A nested claim {C}.\n", id="bold-label-with-colon"),
        pytest.param(f"*   **Label**\n    *   A nested claim {C}.\n", id="bold-label"),
        pytest.param(f"*   _Italic label_:\n    *   A nested claim {C}.\n", id="italic-label"),
        pytest.param("**A pseudo-heading**\n", id="pseudo-heading"),
        pytest.param("> [!info] Callout title\n", id="callout-title"),
        pytest.param(f"> [!note]- Folded title\n> Body {C}.\n", id="callout-title-with-cited-body"),
        pytest.param(f"| Part | Role |\n| --- | --- |\n| deck | carries traffic {C} |\n", id="table-header"),
        pytest.param("*   [[one note]]\n*   [[another | Another]], [[third]]\n", id="see-also-list"),
        pytest.param("![[diagram.png]]\n", id="embed-only"),
        pytest.param("12:30 -- 45 / 17%\n\n*   1.5\n", id="no-letters"),
        pytest.param("```\nCode is not a claim.\n```\n\n    Indented code either.\n", id="code"),
        pytest.param("<div>\nAn HTML block is not a claim.\n</div>\n", id="html-block"),
        pytest.param("<!-- a comment is not a claim -->\n", id="comment"),
        pytest.param("$$\nE = mc^2 is display math\n$$\n", id="display-math"),
        pytest.param(f"A cited claim {C}.\n", id="cited"),
        pytest.param("A claim with a broken citation <a class=\"yt-timestamp\">[00:01:00]</a>.\n", id="broken-citation"),
    ],
)
def test_cl001_near_miss(vault, body):
    result = vault({"a.md": note(body)}, select=["CL001"])
    assert codes(result) == []


def test_cl001_near_miss_block_cited_only_by_bare_labels_gets_ts006(vault):
    result = one(vault, "A claim cited by a bare label [00:21:12].\n", select=["CL", "TS"])
    assert codes(result) == [("TS006", 8, 31)]


def test_cl001_list_item_with_links_and_prose_is_a_claim(vault):
    result = one(vault, "*   [[one note]] explains the deck.\n")
    assert codes(result) == [("CL001", 8, 5)]


def test_cl001_near_miss_second_front_matter_lines_are_fm008(vault):
    body = f"A claim {C}.\n\n---\ntitle: Stray\nvideoId: abcdefghijk\n---\n"
    result = one(vault, body, select=["CL", "FM008"])
    assert codes(result) == [("FM008", 10, 1)]


# -- CL002 -----------------------------------------------------------------


def test_cl002_off_by_default(vault):
    result = one(vault, f"Claim one. Claim two {C}.\n", select=None)
    assert "CL002" not in [c for c, *_ in codes(result)]


def test_cl002_enabled_with_extend_select(vault):
    result = one(vault, f"Claim one. Claim two {C}.\n", extend_select=["CL002"])
    assert codes(result) == [("CL002", 8, 1)]
    assert messages(result) == ["sentence without a citation: 'Claim one.'"]


def test_cl002_middle_sentence(vault):
    result = one(vault, f"Claim one {C}. Claim two. Claim three {C}.\n", extend_select=["CL002"])
    assert codes(result) == [("CL002", 8, 69)]  # after "Claim one " + citation + ". "


def test_cl002_near_miss_citation_right_after_the_full_stop(vault):
    result = one(vault, f"Claim one. {C} Claim two {C}.\n", extend_select=["CL002"])
    assert codes(result) == []


def test_cl002_near_miss_uncited_block_is_cl001_only(vault):
    result = one(vault, "Claim one. Claim two.\n", extend_select=["CL002"])
    assert codes(result) == [("CL001", 8, 1)]
