"""The code keeps the shape docs/architecture.md draws: who imports whom, and small pieces.

Every import counts, at the top of a module or inside a function; migrations are left out
(they name the models they depend on by design).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ["contracts", "renewals", "upgrades", "incidents", "notifications", "partnerxpress"]
KERNEL = "partnerxpress.core"
PROJECT = "partnerxpress"  # settings, urls, celery, the pages and commands that wire the apps
# Which parts each part may import (besides itself, Django and libraries).
ALLOWED = {
    KERNEL: set(),
    "notifications": {KERNEL},
    "contracts": {KERNEL, "notifications"},
    "renewals": {KERNEL, "notifications", "contracts"},
    "incidents": {KERNEL, "notifications", "contracts"},
    # No-charge upgrades are ordered and shipped as orders: upgrades reads renewals' orders.
    "upgrades": {KERNEL, "notifications", "contracts", "renewals"},
    PROJECT: {KERNEL, "notifications", "contracts", "renewals", "incidents", "upgrades"},
}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 45  # "about 40": the signature and docstring count too


def part_of(module: str) -> str | None:
    """The part of the code a dotted module name belongs to (None: not ours)."""
    if module == KERNEL or module.startswith(KERNEL + "."):
        return KERNEL
    top = module.split(".")[0]
    return top if top in APPS else None


def source_files() -> list[Path]:
    files = []
    for app in APPS:
        files += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def import_violations(module: str, source: str) -> list[str]:
    """Imports of `module` (its source text) that the picture does not allow."""
    own = part_of(module)
    wrong = []
    for imported in imported_modules(ast.parse(source)):
        other = part_of(imported)
        if other is not None and other != own and other not in ALLOWED[own]:
            wrong.append(f"{module} imports {imported} ({own} → {other})")
    return wrong


def test_no_part_imports_what_the_architecture_forbids():
    wrong = []
    for path in source_files():
        wrong += import_violations(module_name(path), path.read_text())
    assert wrong == []


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("contracts.views", "from renewals.selectors import renewal_choices"),
        ("notifications.services", "from contracts.models import Reseller"),
        ("partnerxpress.core.tenancy", "from contracts.models import System"),
        ("renewals.rules", "import incidents.rules"),
        ("contracts.selectors", "def f():\n    from partnerxpress.views import system_detail"),
    ],
)
def test_the_check_catches_an_import_against_the_picture(module, line):
    assert import_violations(module, line)


def test_the_check_allows_what_the_picture_allows():
    assert not import_violations("renewals.views", "from contracts.models import System")
    assert not import_violations("contracts.services", "from notifications.services import x")
    assert not import_violations("partnerxpress.views", "from incidents import selectors")


def test_modules_and_functions_stay_small():
    too_big = []
    for path in source_files():
        text = path.read_text()
        name = path.relative_to(ROOT)
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_big.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_big.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    assert too_big == []
