"""The Django layer's shape, checked from the import statements of advisor/*.py.

Three groups: the pages (wizard, result, embed), the JSON API with the import, and the HTTP
plumbing. The plumbing imports no page, the API no page view, and no two modules import each
other, however indirectly. Imports inside functions count: they are imports all the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ADVISOR = Path(__file__).resolve().parent.parent / "advisor"
MODULES = {path.stem for path in ADVISOR.glob("*.py")} - {"__init__"}

PAGES = {"views", "embed", "forms", "diagram", "report"}
PAGE_VIEWS = {"views", "embed"}
API = {"api", "import_views", "openapi"}
PLUMBING = {"middleware", "plumbing", "caching", "response_cache", "jsonlog", "limits"}


def imports(module: str) -> set[str]:
    """The advisor/*.py modules `module` imports (packages such as rules/ aside)."""
    tree = ast.parse((ADVISOR / f"{module}.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x / from .x import y, within advisor/
                base = "advisor" + ("." + base if base else "")
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "advisor" and parts[1] in MODULES:
                found.add(parts[1])
    return found - {module}


GRAPH = {module: imports(module) for module in sorted(MODULES)}


def test_the_groups_name_modules_that_exist() -> None:
    assert PAGES | API | PLUMBING <= MODULES


@pytest.mark.parametrize("module", sorted(PLUMBING))
def test_plumbing_imports_no_page(module: str) -> None:
    assert not GRAPH[module] & PAGES


@pytest.mark.parametrize("module", sorted(API))
def test_the_api_imports_no_page_view(module: str) -> None:
    assert not GRAPH[module] & PAGE_VIEWS


def test_no_module_imports_itself_through_others() -> None:
    cycles = []
    for start in GRAPH:
        stack, seen = [(start, (start,))], set()
        while stack:
            module, path = stack.pop()
            for target in sorted(GRAPH[module]):
                if target == start:
                    cycles.append(" -> ".join((*path, start)))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, (*path, target)))
    assert cycles == []


def test_the_checker_sees_imports_of_every_form() -> None:
    # middleware once took healthz from views; import_views its URLs from views.
    assert "plumbing" in GRAPH["middleware"]
    assert "links" in GRAPH["import_views"]
    assert {"api", "import_views"} <= GRAPH["openapi"]
