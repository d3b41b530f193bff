"""Layer rules: the domain never imports the API layer or the web stack, and the domain's
contexts are layered (`pyproject.toml`); nothing dodges the layers with a deferred import."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_passes():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _deferred_domain_imports(path: Path) -> list[str]:
    """`from domain...` / `import domain...` inside a function body of this module."""
    found = []
    for function in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(name == "domain" or name.startswith("domain.") for name in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_domain_modules_are_imported_at_the_top_of_every_module():
    # A function-level import hides an arrow from the layers contract's reader and is how a
    # cycle used to be dodged; an import that would point up the house must fail lint-imports.
    deferred = [hit for package in ("domain", "api") for path in sorted((ROOT / package).rglob("*.py"))
                for hit in _deferred_domain_imports(path)]
    assert deferred == []
