"""Language server benchmark: ``python -m benchmarks.lsp [--corpus DIR] [--repeat N] [--keystrokes N]``.

On a copy of the shared real vault (``../shared/corpus/tubegraph``, 8,693
notes; ``vault = "content"``), with a real client (pygls's ``LanguageClient``
speaking LSP over the server's standard input and output), it measures:

* start-up to first diagnostics, warm cache: from starting ``notelint server``
  to the first ``publishDiagnostics`` of a note opened right after
  ``initialized`` (the cache filled by one ``notelint check`` beforehand);
* re-lint after a keystroke, three kinds of keystroke: in a note's prose, in its
  ``title`` (its names change: the resolution of links is recomputed) and in a
  wiki-link's target (its links change). Client side: from sending
  ``didChange`` to receiving that version's diagnostics. Server side: the same
  work in this process (``Session.changed``, then the lint and the diagnostics
  of the note), without the transport;
* the links of every other note loaded (in this process: what the server does
  while idle, or at once before the first references or rename request), then,
  with the client after 3 s idle, references of a link's target and completion
  after ``[[``;
* memory: the server process's peak resident set (``VmHWM``) at the end.

Times are medians (and 95th percentiles for keystrokes) of wall clock.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "tubegraph"
NOTE = "content/3blue1brown/coordinate_systems_in_linear_algebra.md"  # a video note: 27 links, citations, headings
LARGE = "content/3blue1brown/3blue1brown.md"  # the largest page: a channel page, 56 KB, 495 links, 439 findings


def _vault(corpus: Path, workdir: Path) -> Path:
    root = workdir / "tubegraph"
    shutil.copytree(corpus, root)
    (root / "notelint.toml").write_text('vault = "content"\n', encoding="utf-8")
    return root


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Client:
    """A pygls client driving ``notelint server``; remembers when each diagnostics arrived."""

    def __init__(self, root: Path):
        self.root = root
        self.lc = LanguageClient("notelint-benchmark", "1")
        self.arrived: dict[tuple[str, int | None], float] = {}
        self.diagnostics: dict[str, list[lsp.Diagnostic]] = {}
        self.event = asyncio.Event()

        @self.lc.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: lsp.PublishDiagnosticsParams):
            self.arrived[(params.uri, params.version)] = time.perf_counter()
            self.diagnostics[params.uri] = list(params.diagnostics)
            self.event.set()

        @self.lc.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register(params):
            return None

        @self.lc.feature(lsp.WINDOW_LOG_MESSAGE)
        def log(params):
            return None

    async def start(self) -> None:
        await self.lc.start_io(sys.executable, "-m", "notelint", "server", cwd=str(self.root))
        self._drain = asyncio.ensure_future(self._stderr())
        caps = lsp.ClientCapabilities(
            workspace=lsp.WorkspaceClientCapabilities(did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=True)),
            text_document=lsp.TextDocumentClientCapabilities(completion=lsp.CompletionClientCapabilities(
                completion_item=lsp.ClientCompletionItemOptions(snippet_support=True))))
        await self.lc.initialize_async(lsp.InitializeParams(capabilities=caps, root_uri=self.root.as_uri(),
                                                            process_id=os.getpid()))
        self.lc.initialized(lsp.InitializedParams())

    async def _stderr(self) -> None:
        while await self.lc._server.stderr.readline():
            pass

    async def wait(self, uri: str, version: int) -> float:
        while (uri, version) not in self.arrived:
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), 120)
        return self.arrived[(uri, version)]

    async def stop(self) -> float:
        rss = _peak_rss_mb(self.lc._server.pid)
        await self.lc.shutdown_async(None)
        self.lc.exit(None)
        await self.lc.stop()
        return rss


def _open(client: Client, uri: str, text: str) -> None:
    client.lc.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))


def _change(client: Client, uri: str, text: str, version: int) -> None:
    client.lc.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))


def keystroke_texts(text: str, kind: str, n: int) -> list[str]:
    """``n`` successive buffers, one character typed each time, at a place of ``kind``."""
    if kind == "prose":
        at = text.index("\n\n", text.index("From:")) + 2
    elif kind == "end":  # the end of the last line
        at = len(text.rstrip("\n"))
    elif kind == "title":
        at = text.index("\n", text.index("title:"))
    else:  # a wiki-link's target
        at = text.index("]]", text.index("[[", text.index("From:") + 5))
    typed = ("abcdefghij" * (n // 10 + 1))[:n]
    return [text[:at] + typed[: i + 1] + text[at:] for i in range(n)]


async def startup(root: Path, uri: str, text: str) -> tuple[float, float, Client]:
    """Wall seconds from starting the server to the note's first diagnostics, and the
    server's CPU seconds by then."""
    started = time.perf_counter()
    client = Client(root)
    await client.start()
    _open(client, uri, text)
    wall = await client.wait(uri, 1) - started
    return wall, _cpu_seconds(client.lc._server.pid), client


async def session(root: Path, keystrokes: int) -> dict:
    path = root / NOTE
    uri, text = path.as_uri(), path.read_text(encoding="utf-8")
    first, cpu, client = await startup(root, uri, text)
    out: dict = {"startup": first, "startup_cpu": cpu}
    version = 1
    for kind in ("prose", "title", "link"):
        lat = []
        for new in keystroke_texts(text, kind, keystrokes):
            version += 1
            sent = time.perf_counter()
            _change(client, uri, new, version)
            lat.append(await client.wait(uri, version) - sent)
        version += 1
        _change(client, uri, text, version)
        await client.wait(uri, version)
        out[kind] = lat
    await asyncio.sleep(3)  # idle: the server loads the links of the other notes meanwhile
    at = text.index("[[", text.index("From:") + 5) + 2  # just inside the body's first wiki-link
    line = text[:at].count("\n")
    character = len(text[text.rfind("\n", 0, at) + 1 : at].encode("utf-16-le")) // 2
    sent = time.perf_counter()
    refs = await client.lc.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=line, character=character + 1),
        context=lsp.ReferenceContext(include_declaration=False)))
    out["references"] = (time.perf_counter() - sent, len(refs))
    sent = time.perf_counter()
    found = await client.lc.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=line, character=character)))
    out["completion"] = (time.perf_counter() - sent, len(found.items) if found else 0)
    out["rss"] = await client.stop()
    return out


def server_side(root: Path, keystrokes: int, note: str = NOTE, kinds=("prose", "title", "link")) -> dict[str, list[float]]:
    """The server's own work per keystroke, in this process: Session.changed, then lint and
    diagnostics of the note (what the server does between reading didChange and writing)."""
    from notelint.server.diagnostics import diagnostic
    from notelint.server.positions import to_bytes
    from notelint.server.session import Session

    s = Session(root, jobs=1)
    s.load()
    path = root / note
    uri, text = path.as_uri(), path.read_text(encoding="utf-8")
    s.opened(uri, to_bytes(text), 1)
    s.lint(uri)
    out: dict[str, list[float]] = {}
    t, c = time.perf_counter(), time.process_time()
    s.fill_links()
    out["fill"], out["fill cpu"] = [time.perf_counter() - t], [time.process_time() - c]
    version = 1
    for kind in kinds:
        out[kind], out[kind + " cpu"] = [], []
        for new in keystroke_texts(text, kind, keystrokes):
            version += 1
            t, c = time.perf_counter(), time.process_time()
            for u in sorted(s.changed(uri, to_bytes(new), version)):
                doc = s.open[u]
                [diagnostic(f, doc.lines) for f in s.lint(u)]
            out[kind].append(time.perf_counter() - t)
            out[kind + " cpu"].append(time.process_time() - c)
        s.changed(uri, to_bytes(text), version + 1)
        version += 1
    return out


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return f"{statistics.median(values) * 1000:.1f} ms (p95 {p95 * 1000:.1f} ms)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lsp")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--workdir", type=Path, help="where to copy the vault (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3, help="server start-ups measured")
    parser.add_argument("--keystrokes", type=int, default=30, help="keystrokes of each kind")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="notelint-lsp-", dir=args.workdir))
    try:
        root = _vault(args.corpus, work)
        notes = sum(1 for _ in (root / "content").rglob("*.md"))
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "notelint", "check", "--exit-zero"], cwd=root, stdout=subprocess.DEVNULL, check=True)
        print(f"vault: {notes} notes (copy of {args.corpus}); cache filled by notelint check in {time.perf_counter() - t:.1f} s")
        runs = [asyncio.run(session(root, args.keystrokes)) for _ in range(args.repeat)]
        own = server_side(root, args.keystrokes)
        large = server_side(root, args.keystrokes, LARGE, ("end",))
        starts = [r["startup"] for r in runs]
        cpus = [r["startup_cpu"] for r in runs]
        print(f"start-up to first diagnostics (warm cache): median {statistics.median(starts):.2f} s "
              f"of {', '.join(f'{x:.2f}' for x in starts)}; server CPU by then: median {statistics.median(cpus):.2f} s")
        for kind in ("prose", "title", "link"):
            client_side = [x for r in runs for x in r[kind]]
            print(f"keystroke in the {kind}: server side {_ms(own[kind])}, CPU {_ms(own[kind + ' cpu'])}; "
                  f"client round trip {_ms(client_side)}")
        print(f"keystroke at the end of the largest page ({LARGE}): server side {_ms(large['end'])}, "
              f"CPU {_ms(large['end cpu'])}")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores)")
        print(f"loading the links of every other note (idle, or before the first references or rename): "
              f"{own['fill'][0]:.2f} s, CPU {own['fill cpu'][0]:.2f} s")
        refs = runs[-1]["references"]
        comp = runs[-1]["completion"]
        print(f"references of a link's target: {refs[0] * 1000:.0f} ms ({refs[1]} links); completion after [[: "
              f"{comp[0] * 1000:.0f} ms ({comp[1]} items)")
        print(f"server peak RSS: median {statistics.median(r['rss'] for r in runs):.0f} MB "
              f"(max {max(r['rss'] for r in runs):.0f} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
