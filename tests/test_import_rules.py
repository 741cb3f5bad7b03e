"""The apps stand on floors and import only downward, with no import cycles: read from the
source tree, so a new module is held to the rule the moment it exists.

Floors, lowest first: domain-free infrastructure (rules, rate limits, ZIP geography, the
availability arithmetic, the outbox) <- profiles <- groups <- scheduling <- circles and
conversation (side by side: neither imports the other) <- notifications <- moderation <- what
orchestrates the whole site (account data, the demo city, the project's own views, urls and
settings)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = (
    (
        "momcircle.rules",
        "momcircle.ratelimit",
        "momcircle.geo",
        "momcircle.distance",
        "momcircle.addresses",
        "momcircle.cache",
        "momcircle.availability",
        "momcircle.events",
        "momcircle.outbox",
        "momcircle.text",
        "momcircle.celery",
        "momcircle.health",
        "momcircle.admin_selection",
        "momcircle.context_processors",
        "momcircle.widgets",
    ),
    ("momcircle.profiles",),
    ("groups",),
    ("scheduling",),
    ("momcircle.circles", "momcircle.conversation"),
    ("momcircle.notifications",),
    ("momcircle.moderation",),
    (
        "momcircle.privacy",
        "momcircle.demo",
        "momcircle.views",
        "momcircle.urls",
        "momcircle.settings",
        "momcircle.wsgi",
        "momcircle.asgi",
    ),
)
NOT_HELD = {"tests", "migrations"}  # tests and migrations may reach across floors


def floor_of(module: str) -> int | None:
    if module == "momcircle":  # the project package itself only loads the Celery app
        return 0
    for number, packages in enumerate(FLOORS):
        if any(module == package or module.startswith(f"{package}.") for package in packages):
            return number
    return None


def project_modules() -> dict[str, Path]:
    modules = {}
    for top in ("momcircle", "groups", "scheduling"):
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if NOT_HELD & set(parts):
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules a file imports, anywhere in it (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package, `level - 1` up
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {name for name in names if name in known}
    return found


MODULES = project_modules()
GRAPH = {name: imports_of(name, path, set(MODULES)) for name, path in MODULES.items()}


def test_every_module_of_the_project_stands_on_a_floor():
    assert sorted(name for name in MODULES if floor_of(name) is None) == []


def test_no_module_imports_from_a_floor_above_its_own():
    upward = [
        f"{name} (floor {floor_of(name)}) imports {imported} (floor {floor_of(imported)})"
        for name, imported_names in sorted(GRAPH.items())
        for imported in sorted(imported_names)
        if floor_of(imported) > floor_of(name)
    ]
    assert upward == []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), as sorted names."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _without_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """`from package import module` names the package too; only the module counts."""
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    return {name: {m for m in imported if m not in packages} for name, imported in graph.items()}


def test_no_modules_import_each_other_in_a_circle():
    assert cycles(_without_packages(GRAPH)) == []


def test_the_rules_can_fail():
    """A higher floor and a cycle are recognised for what they are."""
    assert floor_of("scheduling.selectors") > floor_of("groups.views")
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize(
    "module", ["momcircle.availability.windows", "momcircle.availability.times"]
)
def test_the_availability_arithmetic_imports_no_django(module):
    tree = ast.parse(MODULES[module].read_text())
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert "django" not in imported
