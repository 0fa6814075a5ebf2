import ast
import sys
from pathlib import Path

import pytest

EXPORTS = Path(__file__).resolve().parents[2] / "exports"


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def forbidden(module: str) -> bool:
    root = module.split(".")[0]
    if root == "bot":
        return not module.startswith("bot.domain")
    return root in ("aiogram", "sqlalchemy", "handlers", "storage")


@pytest.mark.parametrize("path", sorted(EXPORTS.glob("*.py")), ids=lambda p: p.name)
def test_exports_know_nothing_of_telegram_the_database_or_the_services(path):
    assert not [m for m in imported_modules(path) if forbidden(m)]


def test_rows_need_only_the_standard_library():
    roots = {m.split(".")[0] for m in imported_modules(EXPORTS / "rows.py")}
    assert roots <= set(sys.stdlib_module_names)


def test_registry_rows_need_only_the_standard_library_and_the_annex_rows():
    modules = imported_modules(EXPORTS / "registry_rows.py")
    assert {m for m in modules if m.split(".")[0] not in sys.stdlib_module_names} <= {"exports.rows"}
