"""A warm run with nothing changed replays the last report (issue 13: no cached finding is
decoded); any change to a note, to the notes checked or to an output option renders anew."""

from __future__ import annotations

import json
import marshal
import os

from notelint.cache import _MAGIC
from test_cli import BAD, CL001, SUMMARY, project, run  # noqa: F401


def stored_report(root) -> bytes:
    """The text of report.bin: after the magic, followed by its header (whose last field is the
    text's length) and the header's length."""
    (path,) = root.glob(".notelint_cache/*/report.bin")
    blob = path.read_bytes()
    head = int.from_bytes(blob[-8:], "little")
    size = marshal.loads(blob[len(blob) - 8 - head : -8])[-1]
    assert len(_MAGIC) + size + head + 8 == len(blob)
    return blob[len(_MAGIC) : len(_MAGIC) + size]


def test_warm_run_replays_the_report_byte_for_byte(project):
    cold = run(project, "check", "notes")
    warm = run(project, "check", "notes")
    assert cold.returncode == warm.returncode == 1
    assert warm.stdout == cold.stdout
    assert CL001 in warm.stdout and SUMMARY in warm.stdout
    assert stored_report(project) == warm.stdout.encode()


def test_report_is_rendered_anew_after_an_edit_or_another_option(project):
    run(project, "check", "notes")
    (project / "notes" / "bad.md").write_text(BAD.replace("An uncited claim.", "An uncited claim, edited."),
                                              encoding="utf-8")
    edited = run(project, "check", "notes")
    assert "'An uncited claim, edited.'" in edited.stdout
    as_json = run(project, "check", "notes", "--output-format", "json")
    assert json.loads(as_json.stdout)["tool"] == "notelint"
    only_one = run(project, "check", "notes/good.md")
    assert only_one.returncode == 0 and "CL001" not in only_one.stdout
    assert run(project, "check", "notes", "--select", "WL001").stdout.count("WL001") == 1
    fixed = run(project, "check", "notes", "--fix")
    assert "TS001" not in run(project, "check", "notes").stdout
    assert fixed.returncode == 1


def _stamped_run(vault, settings, tmp_path, key="k"):
    from notelint.cache import Cache
    from notelint.discover import walk
    from notelint.run import check

    files = walk(vault, vault, tmp_path, [])
    cache = Cache(tmp_path / ".cache", "settings")
    return check(files, files, settings, cache=cache, report_key=key), cache


def _keep_report(cache, run, text: bytes) -> None:
    """Store ``text`` as ``run``'s report, as a run that renders it does (key "k")."""
    writer = cache.report_writer(run.state, "k", run.stamp)
    writer.write(text)
    writer.finish(run.worst())


def test_a_run_with_the_same_stamp_reads_no_entry_and_an_edit_moves_the_stamp(tmp_path, monkeypatch):
    """The stamp path: sizes and times unchanged, the report is found without reading one
    cache entry; a same-size edit that restores the modification time moves the status
    change time, so the stamp misses and the content decides."""
    from test_cache import setup

    import importlib

    monkeypatch.setattr(importlib.import_module("notelint.run.check"), "RACY_NS", 0)  # files written just now count as settled
    vault, settings = setup(tmp_path)
    first, cache = _stamped_run(vault, settings, tmp_path)
    assert first.replay is None and first.stamp
    _keep_report(cache, first, b"the report\n")
    again, cache = _stamped_run(vault, settings, tmp_path)
    assert again.replay == (b"the report\n", first.worst())
    assert cache._entries is None  # no index shard was read
    assert _stamped_run(vault, settings, tmp_path, key="other")[0].replay is None
    note = vault / "n0.md"
    st = note.stat()
    note.write_text(note.read_text().replace("Claim", "Claym"))
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))
    edited, cache = _stamped_run(vault, settings, tmp_path)
    assert edited.replay is None and edited.stamp != first.stamp and edited.state != first.state


def test_a_report_found_by_content_is_found_by_stamp_next_time(tmp_path, monkeypatch):
    """A note written again with the same bytes (a checkout, an editor's save) moves the stamp:
    that run finds the report by content and restamps it, so the run after reads no entry."""
    from test_cache import setup

    import importlib

    monkeypatch.setattr(importlib.import_module("notelint.run.check"), "RACY_NS", 0)
    vault, settings = setup(tmp_path)
    first, cache = _stamped_run(vault, settings, tmp_path)
    _keep_report(cache, first, b"the report\n")
    note = vault / "n0.md"
    note.write_bytes(note.read_bytes())  # same content, new times
    touched, cache = _stamped_run(vault, settings, tmp_path)
    assert touched.replay == (b"the report\n", first.worst()) and touched.stamp != first.stamp
    assert cache._entries is not None  # found by content: the entries were read
    again, cache = _stamped_run(vault, settings, tmp_path)
    assert again.replay == (b"the report\n", first.worst())
    assert cache._entries is None  # found by its new stamp


def test_a_report_cut_short_is_not_replayed(project):
    """report.bin holds its text and a header with the text's digest and length: a file cut
    short (or with one byte changed) is rendered anew, never replayed as it is."""
    cold = run(project, "check", "notes")
    (path,) = project.glob(".notelint_cache/*/report.bin")
    whole = path.read_bytes()
    for damaged in (whole[:-5], whole[:-1] + bytes([whole[-1] ^ 1])):
        path.write_bytes(damaged)
        again = run(project, "check", "notes")
        assert again.stdout == cold.stdout and again.returncode == cold.returncode
        assert stored_report(project) == cold.stdout.encode()  # and stored whole again


def test_a_replayed_report_is_decoded_a_piece_at_a_time():
    """Cut after line breaks (never inside a character, a surrogate-escaped byte included),
    whatever the piece size: the pieces join into the text."""
    import random

    from notelint.cli.check import _pieces

    rng = random.Random(3)
    for _ in range(200):
        lines = ["".join(rng.choice("ab\u00e9\U0001f600\udcff") for _ in range(rng.randint(0, 30)))
                 for _ in range(rng.randint(0, 60))]
        text = "\n".join(lines) + ("\n" if rng.random() < 0.5 else "")
        data = text.encode("utf-8", "surrogatepass")
        for size in (1, 2, 3, 7, 64, 1 << 20):
            pieces = list(_pieces(memoryview(data), size))
            assert "".join(pieces) == text
            assert all(p.endswith("\n") for p in pieces[:-1])


def test_a_report_interrupted_while_written_leaves_the_old_files_and_no_temporary_one(project, monkeypatch, capsys):
    """The report goes to ``--output-file`` and to report.bin as it is rendered, each through a
    temporary file renamed at the end: Ctrl-C in the middle leaves both as they were."""
    import importlib

    from notelint.cli import main

    monkeypatch.chdir(project)
    monkeypatch.setenv("NOTELINT_NO_DAEMON", "1")
    assert main(["check", "notes", "--output-format", "json", "--output-file", "out.json"]) == 1
    before_file = (project / "out.json").read_bytes()
    before_report = stored_report(project)
    check_cli = importlib.import_module("notelint.cli.check")
    render = check_cli._render

    def interrupted(*args, **kwargs):
        chunks = render(*args, **kwargs)
        yield next(iter(chunks))
        raise KeyboardInterrupt

    monkeypatch.setattr(check_cli, "_render", interrupted)
    assert main(["check", "notes", "--output-format", "sarif", "--output-file", "out.json"]) == 130
    assert (project / "out.json").read_bytes() == before_file
    assert stored_report(project) == before_report
    leftovers = [p for p in project.rglob("*") if p.name.startswith(".notelint-tmp.")]
    assert leftovers == []
    monkeypatch.setattr(check_cli, "_render", render)
    assert main(["check", "notes", "--output-format", "sarif", "--output-file", "out.json"]) == 1
    sarif = (project / "out.json").read_bytes()
    assert json.loads(sarif)["runs"][0]["tool"]["driver"]["name"] == "notelint"
    assert stored_report(project) == sarif  # what was written is what a replay writes
    capsys.readouterr()
