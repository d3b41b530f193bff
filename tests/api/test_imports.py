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
LAZY_BY_DESIGN = {API / "cli.py"}


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
