"""Shared fixtures: the repository's data, the seed, a CLI runner with a fixed terminal width."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SEED = Path(os.environ.get("GONGKAI_SEED", REPO.parent / "shared" / "seed" / "000_4f7d8cdad68d011f.txt"))

# rich reads these when a console is created: pin them so tables render the same on every machine.
os.environ["COLUMNS"] = "100"
os.environ["NO_COLOR"] = "1"
os.environ.pop("GONGKAI_DATA", None)

# Property tests draw their examples by a profile: about a hundred each by default, so that the README's
# `python -m pytest` stays within minutes, and many more in CI (.ci/run sets GONGKAI_TEST_PROFILE=deep).
# Derandomized, so that every run of a profile tries the same examples and a failure reproduces.
PROFILES = {"default": 100, "deep": 1400}
for name, examples in PROFILES.items():
    settings.register_profile(
        name,
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
PROFILE = os.environ.get("GONGKAI_TEST_PROFILE") or "default"
settings.load_profile(PROFILE)
# A property test that draws fewer examples than the profile's (each example runs a whole command) takes this
# share of them.
EXAMPLES_PER_COMMAND = PROFILES[PROFILE] // 5


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "stress: a long stress or bomb test, or a costly variant of a case the default run covers in another form;"
        " runs in the deep profile (GONGKAI_TEST_PROFILE=deep), as CI does",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if PROFILE == "deep":
        return
    skip = pytest.mark.skip(reason="stress test: runs with GONGKAI_TEST_PROFILE=deep, as CI does")
    for item in items:
        if item.get_closest_marker("stress"):
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the tests' data cache out of the user's cache folder."""
    os.environ["GONGKAI_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _outside_the_checkout(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each test from an empty folder, so that queries read the bundled data unless a test says otherwise.

    From the checkout, gongkai would find its data/ folder, as it should for a person editing it.
    """
    monkeypatch.chdir(tmp_path_factory.getbasetemp())


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner that keeps stdout and stderr apart."""
    return CliRunner()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder, for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


FULL_FORM = REPO / "tests" / "data" / "tasks-full-form.yaml"


@pytest.fixture
def full_form_copy(data_copy: Path) -> Path:
    """A data copy whose tasks.yaml is the 2024 table in the full form, every structured value written out."""
    shutil.copy(FULL_FORM, data_copy / "tasks.yaml")
    return data_copy


@pytest.fixture
def seed_text() -> str:
    """The source document; tests that compare against it are skipped where it is absent."""
    if not SEED.is_file():
        pytest.skip(
            f"the seed document is not at {SEED}; set GONGKAI_SEED=/path/to/000_4f7d8cdad68d011f.txt to run this"
        )
    return SEED.read_text(encoding="utf-8")
