"""Shell completion offers unit names, from the bundled data or the copy --data names."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai_cli.cli.app import app


def complete(runner: CliRunner, words: str) -> list[str]:
    env = {"_GONGKAI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = runner.invoke(app, [], env=env, prog_name="gongkai")
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("gongkai unit 青阳", ["青阳县政府", "青阳县", "青阳", "青阳县人民政府"]),
        ("gongkai due --unit 司法", ["司法局"]),  # bash keeps only the names that start with the word
        ("gongkai timeline --unit 各县", ["各县区政府"]),
    ],
)
def test_completion_offers_unit_names(runner: CliRunner, words: str, expected: list[str]) -> None:
    assert complete(runner, words) == expected


def test_completion_reads_the_data_named_by_data_option(runner: CliRunner, data_copy: Path) -> None:
    units = data_copy / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace("aliases: [司法局]", "aliases: [司法局, 法务局]"), "utf-8"
    )
    assert complete(runner, f"gongkai --data {data_copy} unit 法务") == ["法务局"]
