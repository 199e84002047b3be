"""The packages' shape: no import cycles, and the adapters use only the engine's public names."""
from __future__ import annotations

import ast
from pathlib import Path

import retrieval

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("retrieval", "bot")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in the file, at any depth (inside functions, TYPE_CHECKING too)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = f"{base}.{node.module}" if node.level and node.module else base if node.level else node.module
            names = [alias.name for alias in node.names]
            # `from . import commands` imports a module
            submodules = [f"{module}.{n}" for n in names if (ROOT / Path(*f"{module}.{n}".split("."))).with_suffix(".py").is_file()]
            found += [(m, []) for m in submodules] or [(module, names)]
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    return {name: {m for m, _ in imports(path) if m in modules and m != name and m not in PACKAGES}
            for name, path in modules.items()}


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}   # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            assert state.get(target) != 1, f"import cycle: {' -> '.join(path[path.index(target):] + [target])}"
            if target not in state:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])


def test_bot_uses_only_the_engines_public_names():
    public = set(retrieval.__all__)
    for path in (ROOT / "bot").rglob("*.py"):
        for module, names in imports(path):
            if module.startswith("retrieval"):
                assert module == "retrieval", f"{path.name} imports {module}: use the names in retrieval.__all__"
                assert set(names) <= public, f"{path.name} imports {set(names) - public} from retrieval"


def test_the_graph_holds_imports_at_every_depth():
    """Module-level, function-level and relative imports all count, so the cycle check is not vacuous."""
    edges = graph()
    assert "retrieval.commands" in edges["retrieval.answer"]          # from . import commands
    assert "retrieval.cache" in edges["retrieval.opening"]
    assert "bot.telegram_app" in edges["bot.cli"]                      # imported inside a function
