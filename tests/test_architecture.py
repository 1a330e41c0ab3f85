"""The shape of the code, checked: the pipeline's layers import only downwards, no
import cycle (lazy imports inside functions count too), modules small enough to read
in one sitting, functions short enough to read at once.

The layers, bottom to top (a module may import its own layer and the layers below):
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "notelint"

# bottom to top; the first matching prefix decides a module's layer
LAYERS = [
    ("document, findings, errors, atomic write, bounded read, limits, the Quartz port (standard library only)",
     ["notelint.errors", "notelint.findings", "notelint.document", "notelint.atomic", "notelint.readfile",
      "notelint.config.limits", "notelint.quartz"]),
    ("discover, parse, front matter model, per-video data, cache storage (the stored report too)",
     ["notelint.discover", "notelint.exclude", "notelint.parse", "notelint.models", "notelint.validate", "notelint.videos",
      "notelint.cache", "notelint.stored_report", "notelint.spill", "notelint.transcripts"]),
    ("vault index and resolver", ["notelint.vault", "notelint.quartz_vault"]),
    ("rules", ["notelint.rules"]),
    ("configuration", ["notelint.config"]),
    ("run", ["notelint.run"]),
    ("fix, reports", ["notelint.fix", "notelint.report"]),
    ("audit", ["notelint.audit"]),
    ("command line, language server, generated files",
     ["notelint.cli", "notelint.daemon", "notelint.server", "notelint.readme", "notelint.schema", "notelint.__main__"]),
]
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 80
# functions allowed over the limit for now, each with its reason (the list only shrinks)
LONG_FOR_NOW: dict[str, str] = {}  # name -> why it may stay longer for now (none today)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The notelint modules ``name`` imports, at the top or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # "from . import x" imports the module x when there is one
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name and t != "notelint":
                out.add(t)
    return out


def layer(name: str) -> int:
    best = None
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (name == p or name.startswith(p + ".")) and (best is None or len(p) > best[1]):
                best = (i, len(p))
    assert best is not None, f"{name} is in no layer: add it to LAYERS"
    return best[0]


GRAPH = {name: imports(name, path, set(modules())) for name, path in modules().items()}


def test_every_module_imports_only_its_layer_and_below():
    upward = [f"{a} -> {b}" for a, targets in GRAPH.items() if a != "notelint" for b in targets
              if layer(b) > layer(a)]
    assert upward == []


def test_no_import_cycle():
    # Tarjan's strongly connected components; a component of more than one module is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_and_function_length(name):
    path = modules()[name]
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_MODULE_LINES, f"{name}: {text.count(chr(10))} lines"
    long = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            if not body:
                continue
            length = node.end_lineno - body[0].lineno + 1  # the code, not the signature or docstring
            if length > MAX_FUNCTION_LINES and f"{name}:{node.name}" not in LONG_FOR_NOW:
                long.append(f"{node.name}: {length} lines")
    assert long == []


def test_the_layers_are_documented_here():
    assert __doc__ is not None
