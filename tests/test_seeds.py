"""The two seed notes, as a vault of their own: only WL001, 22 of them, exit 1."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from conftest import SEEDS, lint_vault


def test_seeds_give_only_wl001():
    result = lint_vault(SEEDS)
    assert Counter(f.code for f in result.findings) == {"WL001": 22}
    assert len(result.files) == 2


def test_seeds_exit_1_from_cli():
    proc = subprocess.run(
        [sys.executable, "-m", "notelint", "check", str(SEEDS), "--output-format", "concise"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 22
    assert all(" WL001 " in line for line in lines)
    # The channel link on the source line is one of them, at line 6 column 7.
    assert any(line.endswith("wiki-link target 'oecdobservatoryofpublicsec3116' does not resolve") and ":6:7:" in line for line in lines)


def test_sample_vault_is_clean():
    from conftest import REPO

    proc = subprocess.run([sys.executable, "-m", "notelint", "check", "notes"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All checks passed!" in proc.stdout
