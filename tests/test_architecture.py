"""The tree's shape, checked: no import cycles, imports point down the pipeline,
SQL only in the store, and no platform named outside its source.

These read the source with ``ast`` rather than importing it, so they see every
import, the ones inside functions and under ``TYPE_CHECKING`` included.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("monitor", "sources", "notifiers")

# Lowest first: a package may import only from packages before it in this list.
LAYERS = (
    "monitor.core",
    "notifiers",
    "sources",
    "monitor.config",
    "monitor.store",
    "monitor.classify",
    "monitor.respond",
    "monitor.page",
    "monitor.act",
    "monitor.report",
    "monitor.web",
    "monitor.daemon",
    "monitor.cli",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules that ``name`` imports, resolved to the deepest known module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for dotted in names:
            parts = dotted.split(".")
            for cut in range(len(parts), 0, -1):
                candidate = ".".join(parts[:cut])
                if candidate in known:
                    if candidate != name:
                        targets.add(candidate)
                    break
    return targets


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> int | None:
    if module == "monitor":  # the distribution's root: a version and a sanity check, no imports
        return 0
    best = None
    for rank, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            best = rank
    return best


def test_no_import_cycles_between_modules():
    assert cycles(import_graph()) == []


def test_no_import_cycles_between_packages():
    graph: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        here = _layer(module)
        if here is None:
            continue
        for target in targets:
            there = _layer(target)
            if there is not None and there != here:
                graph.setdefault(LAYERS[here], set()).add(LAYERS[there])
    assert cycles(graph) == []


def test_imports_point_down_the_pipeline():
    upward = []
    for module, targets in import_graph().items():
        here = _layer(module)
        assert here is not None, f"{module} belongs to no layer in LAYERS"
        for target in targets:
            there = _layer(target)
            if there is not None and there > here:
                upward.append(f"{module} -> {target}")
    assert upward == []


# Raw SQL: a string literal that starts a statement.
_SQL = re.compile(r"^\s*(select|insert|update|delete|create|drop|alter|pragma|with)\s", re.I)


def _sql_literals(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and _SQL.match(text) and (" from " in text.lower() or "(" in text):
            lines.append(node.lineno)
    return lines


def test_sql_lives_only_in_the_store():
    outside = {
        name: lines
        for name, path in _modules().items()
        if not name.startswith("monitor.store") and (lines := _sql_literals(path))
    }
    assert outside == {}


def test_no_store_internals_outside_the_store():
    leaks = []
    for name, path in _modules().items():
        if name.startswith("monitor.store"):
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("store.db", "store.rows(", ".db.execute(", 'db["'):
            if needle in text:
                leaks.append(f"{name}: {needle}")
    assert leaks == []


# Each platform's facts live in its source's descriptor; these would repeat them.
_PLATFORM_FACTS = re.compile(
    r"""["'](x|reddit)["']\s*[:,)\]]|\b(x|twitter|reddit)\.com\b|["']u/""", re.IGNORECASE
)


@pytest.mark.parametrize("package", ["monitor", "notifiers"])
def test_no_platform_named_outside_sources(package):
    named = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _PLATFORM_FACTS.search(line.split("#", 1)[0]):
                named.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert named == []


def test_tests_mirror_the_tree():
    """tests/<stage>/test_<module>.py: a stage of monitor/, or sources/ or notifiers/."""
    misplaced = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        parts = path.relative_to(ROOT / "tests").parts[:-1]
        if not parts:
            if path.name != Path(__file__).name:
                misplaced.append(str(path.relative_to(ROOT)))
            continue
        top = ROOT if parts[0] in ("sources", "notifiers") else ROOT / "monitor"
        if not (top / Path(*parts)).is_dir():
            misplaced.append(str(path.relative_to(ROOT)))
    assert misplaced == []


def test_a_foreign_package_with_a_sibling_name_is_refused(tmp_path):
    """Another distribution's ``notifiers`` first on the path: a clear error at import."""
    import os
    import subprocess
    import sys

    (tmp_path / "notifiers").mkdir()
    (tmp_path / "notifiers" / "__init__.py").write_text("")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    result = subprocess.run(
        [sys.executable, "-c", "import monitor"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "another installed distribution uses the name 'notifiers'" in result.stderr
    clean = subprocess.run(
        [sys.executable, "-c", "import monitor"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert clean.returncode == 0, clean.stderr
