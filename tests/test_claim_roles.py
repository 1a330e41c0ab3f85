"""Which blocks are claims (CL001) and which frame or wrap up the note (CL003, off by default).

Designed on the real notes of ``../shared/corpus/tubegraph``; each test is one
of the false CL001 findings seen there, written small. ``with_sections`` builds
a note whose body starts on line 8 with a cited paragraph under a heading.
"""

from __future__ import annotations

import pytest

from conftest import cite, codes, messages, note

C = cite("00:01:00")
CL1 = {"select": ["CL001"]}
CL = {"select": ["CL001", "CL003"]}
BODY = f"## Topic\n\nA cited claim {C}.\n\n"  # lines 8-10


def cl(vault, body: str, **kw):
    return vault({"a.md": note(body)}, **{**CL, **kw})


@pytest.mark.parametrize(
    "body, role, line",
    [
        # the first paragraph after the source line introduces the note
        (f"Bridges have fascinated people for centuries.\n\n{BODY}", "intro", 8),
        (f"{BODY}## Conclusion\n\nBridges remain marvels of engineering.\n", "conclusion", 14),
        (f"{BODY}## Key Takeaways\n\n- Bridges remain marvels of engineering.\n", "conclusion", 14),
        (f"{BODY}Overall, bridges remain marvels of engineering, it seems.\n\n## More\n\nA claim {C}.\n", "conclusion", 12),
        # the closing run: after the last citation, at the end of a note with sections
        (f"{BODY}## Legacy\n\nThe legacy of bridges extends beyond engineering.\n", "closing paragraph", 14),
        (f"{BODY}> [!info] Key Takeaway\n> Bridges carry loads to the ground.\n\n## More\n\nA claim {C}.\n", "callout", 13),
        (f"{BODY}For more on load paths, see [[load_paths | Load paths]].\n\n## More\n\nA claim {C}.\n", "see-also", 12),
        (f"{BODY}## Loads\n\nA striking fact is how loads flow.\n\n- Through the deck {C}.\n", "topic sentence", 14),
        (f"{BODY}These examples highlight how loads flow to the ground.\n\n## More\n\nA claim {C}.\n", "conclusion", 12),
        (f"{BODY}Thus, bridges work.\n\n## More\n\nA claim {C}.\n", "conclusion", 12),
        (f"{BODY}**Summary of Steps:**\n\n1. Apply the distributive property.\n\n## More\n\nA claim {C}.\n", "conclusion", 14),
        (f"Bridges and People\n\nBridges have fascinated people for centuries.\n\n{BODY}", "intro", 8),
        (f"{BODY}This guide will cover:\n\n- Setting up the deck.\n- Hanging the cables.\n\n## More\n\nA claim {C}.\n",
         "intro", 14),
    ],
)
def test_summary_role_blocks_are_cl003_not_cl001(vault, body, role, line):
    result = cl(vault, body)
    found = [(c, ln) for c, ln, _ in codes(result)]
    assert found[0] == ("CL003", line) and {c for c, _ in found} == {"CL003"}, found
    assert messages(result)[0].startswith(f"{role} without a citation: ")
    assert codes(vault({"a.md": note(body)}, **CL1)) == []


@pytest.mark.parametrize(
    "body",
    [
        f"{BODY}- Quickdraw Synchron\n- Junk Synchron {C}\n",  # a list of names
        f"{BODY}*   **Mirror Force** (x1)\n    *   A classic trap card {C}.\n",  # a container bullet
        f"{BODY}- Is it novel?\n- Is it reproducible? {C}\n",  # questions assert nothing
        f"{BODY}- **EPA Omega-3**: Take 1,000 mg a day.\n  - {C}\n",  # cited by its nested item
        f"{BODY}Where:\n\n*   $\\mu$ = population mean (1.2 seconds)\n*   $n$ = sample size {C}\n",  # a formula's legend
        f"{BODY}The formula is {C}:\n\nCF₁/(1+R)¹ + CF₂/(1+R)²\n",  # a formula
        f"{BODY}| Option | Guns | Butter |\n| --- | --- | --- |\n| A | 5 | 0 {C} |\n| D | 2 | 240 |\n",  # a row of data
        f"{BODY}- **Use**: Employ it when motivation wanes.\n- **Reference**: {C}\n",  # cited by its list's last item
        f"{BODY}Sources {C}:\n\n- Beverages we consume\n- Packaging materials\n- Liners of paper cups and soup cans\n",
    ],
)
def test_blocks_that_are_no_claims_at_all(vault, body):
    assert codes(cl(vault, body)) == []


@pytest.mark.parametrize(
    "body, line",
    [
        # a body paragraph in the middle of the note: a claim
        (f"{BODY}## Loads\n\nThe deck carries the traffic load.\n\n## More\n\nA claim {C}.\n", 14),
        # a one-sentence section opening over nothing cited is no topic sentence
        (f"{BODY}## Loads\n\nThe deck carries the traffic load.\n\n- Through the piers.\n\n## More\n\nA claim {C}.\n", 14),
        # a long uncited ending is uncited content, not a wrap-up: only its last section is closing
        (f"{BODY}## A\n\nOne {C}.\n\n## B\n\nTwo is uncited.\n\nThree.\n\nFour.\n\nFive.\n\n## C\n\nSix.\n", 18),
        # a list item that is a sentence
        (f"{BODY}- The deck carries the traffic load.\n- Through the piers {C}.\n", 12),
        # "This" that does not sum up
        (f"{BODY}This approach cut the cost by a third.\n\n## More\n\nA claim {C}.\n", 12),
    ],
)
def test_near_miss_claims_stay_claims(vault, body, line):
    result = vault({"a.md": note(body)}, **CL1)
    assert [ln for c, ln, _ in codes(result) if c == "CL001"][:1] == [line]


def test_a_note_without_sections_has_no_intro(vault):
    result = vault({"a.md": note(f"Suspension bridges carry the deck on hangers.\n\nCited {C}.\n")}, **CL)
    assert codes(result) == [("CL001", 8, 1)]


def test_a_note_without_sections_has_no_closing_run(vault):
    result = vault({"a.md": note(f"Cited {C}.\n\nAn uncited last claim.\n")}, **CL)
    assert codes(result) == [("CL001", 10, 1)]


def test_the_last_paragraph_of_a_note_that_cites_nothing_is_its_closing(vault):
    result = cl(vault, "## Topic\n\nThe deck carries the load.\n\n## End\n\nBridges are good.\n")
    assert codes(result) == [("CL001", 10, 1), ("CL003", 14, 1)]
