"""The shape of the code base, kept by tests (harlequin's import-hygiene pattern).

- Every core module (everything in coprod/ outside coprod/tui/), imported
  alone in a fresh interpreter, leaves textual unimported: the headless path
  and the core never pay for, or depend on, the TUI.
- No core module imports coprod.tui, not even inside a function, except the
  one door `coprod tui` opens (coprod/commands/tui.py).
- No module under coprod/tui/screens/ or coprod/tui/widgets/ imports
  coprod.tui.app: screens reach the app through coprod.tui.host and
  messages, so there is no import circle.

The last two read the source with `ast`, so an import under TYPE_CHECKING or
inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coprod"
TUI = PACKAGE / "tui"
# `python -m coprod` runs the CLI when imported: not a module to import alone.
NOT_IMPORTABLE_ALONE = {"coprod.__main__"}
# The only core modules allowed to import the TUI (lazily, when it is asked for).
TUI_DOORS = {"coprod.commands.tui"}

PROBE = """\
import importlib, sys
importlib.import_module(sys.argv[1])
print(" ".join(sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))))
"""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def core_modules() -> list[str]:
    names = [
        module_name(path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if TUI not in path.parents and path.parent.name != "__pycache__"
    ]
    return [name for name in names if name not in NOT_IMPORTABLE_ALONE]


def imported_modules(path: Path, source: str | None = None) -> set[str]:
    """Every module `path` (or `source`, as if it were at `path`) imports anywhere in
    its code, relative imports resolved.

    `from a.b import c` counts as importing both `a.b` and `a.b.c` (c may be a module).
    """
    text = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(text, filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("coprod.")
            and " " not in node.value
        ):
            found.add(node.value)  # importlib.import_module("coprod.tui.app") and the like
    return found


def imports_of(path: Path, target: str, source: str | None = None) -> set[str]:
    """The imports in `path` (or `source`) of `target` or anything inside it."""
    return {
        name
        for name in imported_modules(path, source)
        if name == target or name.startswith(target + ".")
    }


def textual_after_importing(name: str) -> tuple[str, int, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, name], capture_output=True, text=True, timeout=120
    )
    return name, done.returncode, done.stdout.strip() or done.stderr.strip()[-500:]


def test_the_module_lists_are_what_they_claim() -> None:
    """The walk finds the core (packages and subpackages included) and leaves the TUI out."""
    names = core_modules()
    assert {"coprod", "coprod.ranking", "coprod.session", "coprod.commands.rank"} <= set(names)
    assert "coprod.workers.indexer" in names
    assert not [name for name in names if name.startswith("coprod.tui")]
    assert "coprod.tui.screens.main" in imports_of(TUI / "app.py", "coprod.tui.screens")


def test_every_core_module_imported_alone_leaves_textual_unimported() -> None:
    names = core_modules()
    # A fresh interpreter per module (an import of one cannot hide another's), a few
    # at a time.
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(textual_after_importing, names))
    failed = [f"{name}: exit {code}: {output}" for name, code, output in results if code != 0]
    assert not failed, "\n".join(failed)
    with_textual = [
        f"{name} imports textual ({len(output.split())} textual modules)"
        for name, _, output in results
        if output
    ]
    assert not with_textual, "\n".join(with_textual)


@pytest.mark.parametrize("name", core_modules())
def test_no_core_module_imports_the_tui(name: str) -> None:
    path = PACKAGE.parent.joinpath(*name.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    if name in TUI_DOORS:
        return
    assert not imports_of(path, "coprod.tui")


SCREENS_AND_WIDGETS = sorted([*(TUI / "screens").rglob("*.py"), *(TUI / "widgets").rglob("*.py")])


@pytest.mark.parametrize("path", SCREENS_AND_WIDGETS, ids=lambda path: str(path.relative_to(TUI)))
def test_no_screen_or_widget_imports_the_app(path: Path) -> None:
    assert not imports_of(path, "coprod.tui.app")


def test_the_import_check_sees_every_form_of_import() -> None:
    """The ast check catches every form a screen could use to reach the app."""
    forms = [
        "from coprod.tui.app import CoprodApp",
        "import coprod.tui.app",
        "from coprod.tui import app",
        "from .. import app",
        "from ..app import CoprodApp",
        "if TYPE_CHECKING:\n    from coprod.tui.app import CoprodApp",
        "def later():\n    from coprod.tui.app import CoprodApp",
        "import importlib\nimportlib.import_module('coprod.tui.app')",
    ]
    # Read as if it were a screen module, so relative imports resolve like one.
    screen = TUI / "screens" / "probe.py"
    for form in forms:
        assert imports_of(screen, "coprod.tui.app", form + "\n"), form
    allowed = "from coprod.tui.messages import OpenDetail\nfrom ..host import CoprodScreen\n"
    assert not imports_of(screen, "coprod.tui.app", allowed)


def test_the_app_offers_everything_the_host_protocol_promises_screens(tmp_path: Path) -> None:
    """Screens are typed against CoprodHost, not the app: the app must really have it all."""
    from coprod.tui.app import CoprodApp
    from coprod.tui.host import CoprodHost

    promised = set(CoprodHost.__annotations__) | {
        name for name in vars(CoprodHost) if not name.startswith("_")
    }
    assert {"session", "view", "shortlist", "wait_while_typing", "open_adhoc"} <= promised
    app = CoprodApp(tmp_path / "catalog.duckdb")
    missing = sorted(name for name in promised if name not in dir(CoprodApp) + list(vars(app)))
    assert not missing


MAX_MODULE_LINES = 900


def test_no_source_module_is_over_900_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


# Imported with the matcher but deciding nothing about the saved arrays: the package's
# own door, file helpers and errors (where the sidecar is written, how failures read).
NOT_IN_THE_INDEX_KEY = {
    "coprod",
    "coprod.errors",
    "coprod.files",
    "coprod.gcpause",
    "coprod.paths",
    "coprod.reasons",  # the wording of concept notes, written when ranking, never saved
    "coprod.workers",
}


def test_the_index_key_hashes_every_module_the_matcher_is_made_of() -> None:
    """An edit to any module the index is built with must invalidate saved indexes."""
    from coprod.indexcache import _CODE_MODULES

    probe = (
        "import sys, coprod.matching\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'coprod')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(done.stdout.split())
    assert "coprod.indexbuild" in loaded and "coprod.workers.normaliser" in loaded
    assert loaded - NOT_IN_THE_INDEX_KEY - set(_CODE_MODULES) == set()
