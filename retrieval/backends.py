"""The segmenter back ends' classes, loaded without their side effects."""
from __future__ import annotations

import sys
from pathlib import Path


def rjieba_class() -> type:
    """rjieba's Jieba class, without loading its dictionary twice.

    `import rjieba` builds a module-level default instance (~0.12 s of dictionary load) that
    qabot never uses, since it keeps words in a private instance. Loading the compiled
    extension on its own skips that; it is registered under its usual name, so a later
    `import rjieba` elsewhere reuses it.
    """
    module = sys.modules.get("rjieba.rjieba")
    if module is None:
        import importlib.machinery
        import importlib.util

        spec = importlib.util.find_spec("rjieba")
        folder = Path(next(iter(spec.submodule_search_locations or ()), "")) if spec else None
        binaries = sorted(folder.glob("rjieba*.so")) + sorted(folder.glob("rjieba*.pyd")) if folder else []
        if not binaries:
            import rjieba

            return rjieba.Jieba
        loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(binaries[0]))
        module = importlib.util.module_from_spec(importlib.util.spec_from_loader("rjieba.rjieba", loader))
        loader.exec_module(module)
        sys.modules["rjieba.rjieba"] = module
    return module.Jieba
