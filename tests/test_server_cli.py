"""``notelint server`` on the command line: ``check`` never imports it; without its extra it
says how to install it."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_check_does_not_import_the_server():
    code = ("import sys; from notelint.cli import main; main(['check', 'notes', '--output-format', 'concise']);"
            "print(sorted(m for m in sys.modules if m.startswith(('notelint.server', 'pygls', 'lsprotocol'))))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr


def test_the_server_subcommand_without_its_extra_says_how_to_install_it(monkeypatch, capsys):
    import builtins

    from notelint.cli import main

    real_import = builtins.__import__

    def no_pygls(name, *args, **kwargs):
        if name.startswith(("pygls", "lsprotocol")) or (name == "server" and args and args[2] == ("serve",)):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pygls)
    assert main(["server"]) == 2
    import gc

    assert gc.isenabled()  # the collector, off while a server would start, is on again
    assert "notelint server needs the 'server' extra: pip install 'notelint[server]'" in capsys.readouterr().err
