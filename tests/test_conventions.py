"""Conventions the code review cannot keep by hand: writes belong in services, not in views, and the search
engine reads no database itself.

A view (a `views.py` module or a Ninja `api.py` module) that calls `.save()` or `.delete()`, assigns `.status`
or writes through a manager (`objects.create()`, `update_or_create()`, `filter(...).update()`) writes outside
the service that audits the change and runs it atomically. The check reads the syntax tree, so comments and
strings do not count.
"""

import ast
from pathlib import Path

import samhandling

PACKAGE = Path(samhandling.__file__).parent
VIEW_MODULES = sorted([*PACKAGE.glob("*/views.py"), *PACKAGE.glob("*/api.py"), PACKAGE / "core" / "api_root.py"])

# Writes still in views that another change is moving into services. Remove an entry when its write has moved;
# the test fails on an entry that no longer matches, so the list only shrinks.
KNOWN: dict[str, list[str]] = {}


ALWAYS_WRITES = {"save", "delete", "update_or_create", "get_or_create", "bulk_create", "bulk_update"}


def _is_write(func: ast.Attribute) -> bool:
    """save()/delete() and the manager's writes; create()/update() on `objects` or on a queryset chain."""
    if func.attr in ALWAYS_WRITES:
        return True
    on_manager = isinstance(func.value, ast.Attribute) and func.value.attr == "objects"
    return func.attr in ("create", "update") and (on_manager or isinstance(func.value, ast.Call))


def writes_in(path: Path) -> list[str]:
    """'function: .save()' for each write in a module's functions (nested functions report their outer one)."""
    found = []
    for top in ast.parse(path.read_text(encoding="utf-8")).body:
        name = getattr(top, "name", "<module>")
        for node in ast.walk(top):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if _is_write(node.func):
                    found.append(f"{name}: .{node.func.attr}()")
            elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for t in ast.walk(target):
                        if isinstance(t, ast.Attribute) and t.attr == "status" and isinstance(t.ctx, ast.Store):
                            found.append(f"{name}: .status =")
    return found


def test_the_check_finds_each_kind_of_write(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def a(request, call):\n"
        "    call.status = 'open'  # a comment with .save( does not count\n"
        "    def inner():\n"
        "        call.save(update_fields=['status'])\n"
        "    Call.objects.filter(pk=1).delete()\n"
        "    Target.objects.update_or_create(area=None)\n"
        "    Call.objects.create(number=1)\n"
        "    Call.objects.filter(pk=1).update(number=2)\n"
        "    context = {}\n"
        "    context.update(a=1)\n"
        "    text = 'x.delete()'\n"
        "    return call.status == 'open'\n"
    )
    assert sorted(writes_in(module)) == [
        "a: .create()",
        "a: .delete()",
        "a: .save()",
        "a: .status =",
        "a: .update()",
        "a: .update_or_create()",
    ]


def test_views_write_only_through_services():
    assert len(VIEW_MODULES) > 5
    offenders = {}
    for path in VIEW_MODULES:
        name = str(path.relative_to(PACKAGE))
        found = writes_in(path)
        if found != KNOWN.get(name, []):
            offenders[name] = found
    assert not offenders, (
        "Writes in views (move them into a service; or, if one has moved, remove it from KNOWN): " + repr(offenders)
    )


# The public search's in-memory engine: numpy over arrays, fed by `projectbank.loader` (issue 17).
SEARCH_ENGINE = ("projectbank.facetindex", "projectbank.textindex", "projectbank.delta", "projectbank.snapshots")


def imported_modules(module: str) -> set[str]:
    """The modules one of the project's modules imports (relative imports resolved), read from its syntax tree."""
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    package = module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])]
                )
            found.add(base)
            found |= {
                f"{base}.{alias.name}"
                for alias in node.names
                if PACKAGE.joinpath(*f"{base}.{alias.name}".split(".")[1:]).with_suffix(".py").exists()
            }
    return found


def test_the_search_engine_reads_no_database_itself():
    """Neither the engine's modules nor any module of the project they import (however indirectly) import
    Django's models or database layer: every read goes through the loader the app feeds them."""
    seen, todo, reached = set(), [f"samhandling.{m}" for m in SEARCH_ENGINE], set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for name in imported_modules(module):
            reached.add((module, name))
            inside = name.startswith("samhandling.")
            if inside and PACKAGE.joinpath(*name.split(".")[1:]).with_suffix(".py").exists():
                todo.append(name)
    database = sorted(
        f"{module} imports {name}"
        for module, name in reached
        if name.startswith("django.db") or name.endswith(".models") or name.rsplit(".", 1)[-1] in ("loader", "services")
    )
    assert len(seen) >= len(SEARCH_ENGINE)
    assert database == []
