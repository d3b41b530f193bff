"""The API layer's import graph: modules import each other at the top of the file and never in a
circle. A type that needs a root query's resolver imports it from its area's `resolvers.py`; a
type that names a type of another area where the GraphQL graph is cyclic names it through
`strawberry.lazy` under `TYPE_CHECKING`, which is not an import at run time."""
import ast
from pathlib import Path

import grimp

API = Path(__file__).resolve().parents[2] / "api"
# The CLI loads the schema and the app only for the commands that use them, so that
# `tributary migrate` or `worker` start without building the GraphQL schema.
LAZY_BY_DESIGN = {API / "cli.py", API / "cli_clients.py"}
# What every area builds on; none of it may depend on an area or on the composition root
# (app, schema, context, cli), or the areas could not import it at the top.
SHARED = ("api.core", "api.limits", "api.http", "api.observability")


def _imports_api(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and (node.module or "").split(".")[0] == "api"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "api" for alias in node.names)
    return False


def test_api_modules_import_each_other_without_a_cycle():
    graph = grimp.build_graph("api", exclude_type_checking_imports=True)
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported.startswith("api.") and imported != importer:
                back = graph.find_shortest_chain(importer=imported, imported=importer)
                if back:
                    cycles.append(" -> ".join((importer, *back)))
    assert cycles == []


def test_shared_api_packages_import_no_area_and_no_composition_root():
    graph = grimp.build_graph("api", exclude_type_checking_imports=True)
    shared = {m for m in graph.modules if m.startswith(tuple(f"{p}." for p in SHARED)) or m in SHARED}
    outside = sorted(f"{importer} -> {imported}" for importer in shared
                     for imported in graph.find_modules_directly_imported_by(importer)
                     if imported.split(".")[0] == "api" and imported not in shared)
    assert len(shared) > len(SHARED)
    assert outside == []


def test_api_modules_import_the_api_at_module_level_only():
    deferred = []
    for path in sorted(API.rglob("*.py")):
        if path in LAZY_BY_DESIGN:
            continue
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                deferred += [f"{path.relative_to(API.parent)}:{node.lineno}"
                             for node in ast.walk(function) if _imports_api(node)]
    assert deferred == []
