"""amends: watch social media for complaints about a brand and page the owner.

The distribution installs three top-level packages: ``monitor``, ``sources`` and
``notifiers`` (README, "Architecture", says why). The last two have generic names
that other distributions on PyPI also use, so importing amends checks that the
``sources`` and ``notifiers`` Python would import are the ones installed beside
this package, and fails with a clear message instead of a confusing error later.
"""

from importlib.util import find_spec
from pathlib import Path

__version__ = "0.1.0"


def _check_siblings() -> None:
    home = Path(__file__).resolve().parent.parent
    for name in ("sources", "notifiers"):
        spec = find_spec(name)  # locates without importing
        origin = Path(spec.origin).resolve().parent.parent if spec and spec.origin else None
        if origin != home:
            found = spec.origin if spec and spec.origin else "nothing"
            raise ImportError(
                f"amends needs its own '{name}' package from {home}, but Python finds "
                f"{found}: another installed distribution uses the name '{name}'. "
                "Install amends in a virtual environment of its own (see the README)."
            )


_check_siblings()
