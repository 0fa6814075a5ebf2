"""Dependencies point one way: domain ← services ← storage/exports/handlers ← wiring."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "bot/domain": ("aiogram", "sqlalchemy", "openpyxl", "docx", "PIL", "handlers", "storage", "exports", "bot.services"),
    "bot/services": ("aiogram", "sqlalchemy", "openpyxl", "docx", "handlers", "storage"),
    "bot/texts": ("aiogram", "sqlalchemy", "handlers", "storage", "exports"),
    "storage": ("aiogram", "openpyxl", "docx", "handlers", "exports"),
    "exports": ("aiogram", "sqlalchemy", "handlers", "storage"),
    "handlers": ("sqlalchemy", "storage"),
}

ALLOWED = {"storage/fsm.py": ("aiogram.fsm",)}
"""The FSM storage implements aiogram's storage interface, so it knows that much of aiogram."""


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_what_it_must_not_know(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            allowed = ALLOWED.get(str(path.relative_to(ROOT)), ())
            if any(name.startswith(a) for a in allowed):
                continue
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, "\n".join(offenders)
