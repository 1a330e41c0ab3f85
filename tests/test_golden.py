"""Whole outputs of the CI formats on a small vault, against golden files.

The vault is ``tests/golden/vault`` (configured by ``tests/golden/notelint.toml``);
the expected outputs are ``tests/golden/check.<format>``. Never edit them by
hand: after an intended change of output, regenerate them all with

    NOTELINT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO

GOLDEN = REPO / "tests" / "golden"
FORMATS = ("sarif", "github", "junit", "gitlab")
UPDATE = bool(os.environ.get("NOTELINT_UPDATE_GOLDEN"))


def run_format(fmt: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "notelint", "check", "--no-cache", "--extend-select", "CL002", "--output-format", fmt],
        cwd=GOLDEN, capture_output=True, env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_output(fmt):
    proc = run_format(fmt)
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stderr == b""
    expected = GOLDEN / f"check.{fmt}"
    if UPDATE:
        expected.write_bytes(proc.stdout)
    assert proc.stdout.decode("utf-8") == expected.read_text(encoding="utf-8")
