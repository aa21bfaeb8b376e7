"""How each room exports its public names without importing itself whole.

A room's ``__init__`` lists its public names and the module that owns each; a name is imported
from its module the first time it is used (PEP 562 module ``__getattr__``). So
``from analysis.engine import Scenario`` works, and ``import analysis.engine.scenario`` (what
the command line does to show ``campaign --help``) does not pull in the rest of the engine.
The architecture test reads these tables as import edges, so they obey the layer rule too.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(package: str, owners: Mapping[str, str]
                 ) -> tuple[list[str], Callable[[str], object], Callable[[], list[str]]]:
    """(``__all__``, ``__getattr__``, ``__dir__``) for ``package`` exporting ``owners``
    (public name -> module of the package that defines it)."""
    table = dict(owners)

    def __getattr__(name: str):
        if name not in table:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{table[name]}"), name)
        return value

    def __dir__() -> list[str]:
        return sorted(table)

    return sorted(table), __getattr__, __dir__
