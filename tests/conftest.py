"""The whole suite shares one fresh drafter cache folder instead of the user's own, so tests
neither read entries a developer's runs left behind nor leave any."""
import os
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def fresh_cache_folder():
    with tempfile.TemporaryDirectory(prefix="drafter-cache-") as folder:
        saved = {name: os.environ.pop(name, None) for name in ("DRAFTER_CACHE_DIR", "DRAFTER_NO_CACHE")}
        os.environ["DRAFTER_CACHE_DIR"] = folder
        yield folder
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
