from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory):
    """One cache directory for the fast classifier's build, shared by the session."""
    return tmp_path_factory.mktemp("model-cache")
