"""The list of workers and handlers behind the fault boundary comes from the code, not from
memory: the screens are walked (AST) for `service_work` workers and `safely(...)` calls, and
the fault scenarios must cover exactly those. A new worker without a scenario, or a bare Textual
worker that bypasses the boundary, fails here."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from . import test_boundary_handlers, test_boundary_workers

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "screens"
BOUNDARY = SCREENS / "faults.py"


def modules() -> dict[str, ast.Module]:
    """screens/**/*.py by dotted module name (the boundary itself left out)."""
    out = {}
    for path in sorted(SCREENS.rglob("*.py")):
        if path == BOUNDARY:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        out[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return out


def _called_name(node: ast.AST) -> str:
    """`work` for `work`, `work(...)`, `textual.work(...)`; "" for anything else."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def functions(tree: ast.Module, module: str):
    """(qualified name, FunctionDef) for every function and method, nested ones included."""

    def walk(node: ast.AST, prefix: str):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}.{child.name}"
                yield name, child
                yield from walk(child, name)
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}.{child.name}")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, module)


def _own_calls(fn: ast.AST):
    """Calls in `fn`'s own body (lambdas included), not in functions defined inside it."""
    for child in ast.iter_child_nodes(fn):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(child, ast.Call):
            yield child
        yield from _own_calls(child)


def service_workers() -> dict[str, tuple[str, str]]:
    """"module.Class.method" → (done, failed) for every method decorated with service_work."""
    out = {}
    for module, tree in modules().items():
        for name, fn in functions(tree, module):
            for deco in fn.decorator_list:
                if _called_name(deco) == "service_work":
                    kw = {k.arg: k.value.value for k in deco.keywords if isinstance(k.value, ast.Constant)}
                    out[name] = (kw.get("done"), kw.get("failed"))
    return out


def safe_handlers() -> set[str]:
    """Every function or method that calls `safely(...)` itself."""
    return {name for module, tree in modules().items() for name, fn in functions(tree, module)
            if any(_called_name(call) == "safely" for call in _own_calls(fn))}


def test_no_screen_uses_textual_work_or_bare_workers():
    """Only screens/faults.py may import `work`; no method is decorated with it and nothing
    starts a worker with `run_worker` (both bypass the boundary: a fault would end the app)."""
    bad = []
    for module, tree in modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                bad += [f"{module}: imports {a.name} from {node.module}" for a in node.names if a.name == "work"]
            if isinstance(node, ast.Import):
                bad += [f"{module}: imports {a.name}" for a in node.names if a.name.endswith(".work")]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                bad += [f"{module}: {node.name} is decorated with work" for d in node.decorator_list
                        if _called_name(d) == "work"]
            if isinstance(node, ast.Call) and _called_name(node) == "run_worker":
                bad.append(f"{module}:{node.lineno} calls run_worker")
    assert bad == [], "use screens.faults.service_work instead:\n" + "\n".join(bad)


def test_every_service_worker_has_a_fault_scenario():
    found = set(service_workers())
    covered = set(test_boundary_workers.SCENARIOS)
    assert found, "no service_work worker found: is the walk broken?"
    assert not found - covered, ("add a scenario to tests/faults/test_boundary_workers.py SCENARIOS for: "
                                 + ", ".join(sorted(found - covered)))
    assert not covered - found, f"scenarios for workers that no longer exist: {sorted(covered - found)}"


def test_every_safely_handler_has_a_fault_scenario():
    found = safe_handlers()
    covered = set(test_boundary_handlers.SCENARIOS)
    assert found, "no safely(...) call found: is the walk broken?"
    assert not found - covered, ("add a scenario to tests/faults/test_boundary_handlers.py SCENARIOS for: "
                                 + ", ".join(sorted(found - covered)))
    assert not covered - found, f"scenarios for handlers that no longer call safely: {sorted(covered - found)}"


def test_every_worker_delivers_to_methods_that_exist():
    """`done`/`failed` are names: a typo would only show when the worker finishes."""
    for where, (done, failed) in service_workers().items():
        module, cls, method = where.rsplit(".", 2)
        owner = getattr(importlib.import_module(module), cls)
        assert getattr(getattr(owner, method), "fault_boundary", None) == (done, failed), where
        assert callable(getattr(owner, done, None)) and callable(getattr(owner, failed, None)), where
