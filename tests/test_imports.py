"""The plugin's modules import one another without cycles, and never the site."""

import ast
from pathlib import Path

import appeals

PLUGIN = Path(appeals.__file__).parent


def module_name(path):
    parts = path.relative_to(PLUGIN.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def plugin_modules():
    return {
        module_name(path): path for path in PLUGIN.rglob("*.py") if "migrations" not in path.parts
    }


def imported_names(path, name):
    """Every module named by an import in the file, at any depth (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph():
    """Edges between plugin modules. A parent package is imported before its module, so it
    counts as a dependency, except from its own submodules (Python is importing it then)."""
    modules = plugin_modules()
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(path, name):
            parts = imported.split(".")
            for depth in range(1, len(parts) + 1):
                target = ".".join(parts[:depth])
                if target in modules and target != name and not name.startswith(f"{target}."):
                    targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_function_level_imports():
    graph = import_graph()
    # appeals.apps imports these inside ready() only.
    assert {"appeals.signal_handlers", "appeals.api.fields"} <= graph["appeals.apps"]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_plugin():
    assert cycles(import_graph()) == []


def test_the_plugin_imports_nothing_from_the_site():
    for name, path in plugin_modules().items():
        site_imports = {
            imported
            for imported in imported_names(path, name)
            if imported.split(".")[0] in {"website", "home", "tests"}
        }
        assert not site_imports, f"{name} imports {site_imports}"
