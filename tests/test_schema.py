"""The JSON Schema of the data format: generated from the models, shipped beside the tables, and right about them.

Files are read as an editor's YAML 1.2 reads them (yaml-language-server): a date is a string there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import DATA, REPO

from gongkai_cli.importers import import_table
from gongkai_cli.schema import SCHEMA_FILES, SCHEMA_FOLDER, schema, schema_line, schema_text
from gongkai_cli.skeleton import write_skeleton


class EditorLoader(yaml.SafeLoader):
    """YAML as the editor reads it: no timestamps (YAML 1.2 has none), so 2024-03-01 stays a string."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def problems(table_file: str, text: str) -> list[str]:
    """What the schema of `table_file` (tasks.yaml or units.yaml) says about `text`."""
    validator = jsonschema.Draft7Validator(schema(SCHEMA_FILES[table_file]))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(yaml.load(text, EditorLoader))]


def table_files(folder: Path) -> list[Path]:
    return sorted([*folder.rglob("tasks*.yaml"), *folder.rglob("units*.yaml")])


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES.values()))
def test_each_schema_is_valid_draft_7(name: str) -> None:
    jsonschema.Draft7Validator.check_schema(schema(name))


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES.values()))
def test_the_committed_schema_is_the_generated_one(name: str) -> None:
    """data/.schema is what the wheel ships beside the bundled tables; regenerate: python -m gongkai_cli.schema data"""
    assert (DATA / SCHEMA_FOLDER / name).read_text(encoding="utf-8") == schema_text(name)


@pytest.mark.parametrize(
    "path", [*table_files(DATA), *table_files(REPO / "tests" / "data")], ids=lambda p: str(p.relative_to(REPO))
)
def test_the_schema_accepts_the_bundled_and_test_tables(path: Path) -> None:
    kind = "units.yaml" if path.name.startswith("units") else "tasks.yaml"
    assert problems(kind, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("table_file", sorted(SCHEMA_FILES))
def test_the_bundled_tables_name_their_schema(table_file: str) -> None:
    text = (DATA / table_file).read_text(encoding="utf-8")
    assert schema_line(table_file) in text
    assert (DATA / SCHEMA_FOLDER / SCHEMA_FILES[table_file]).is_file()


@pytest.mark.parametrize(
    ("table_file", "old", "new"),
    [
        ("tasks.yaml", "    requirement:", "    requirment:"),
        ("tasks.yaml", "  title:", "  titel:"),
        ("tasks.yaml", "time_limit: 年底前", "time_limit: {txt: 年底前}"),
        ("units.yaml", "    kind:", "    kidn:"),
        ("units.yaml", "coverage: all", "coverage: al"),
        ("tasks.yaml", "number: 17", "number: '17'"),
    ],
)
def test_the_schema_refuses_a_misspelt_key_or_a_wrong_value(table_file: str, old: str, new: str) -> None:
    text = (DATA / table_file).read_text(encoding="utf-8")
    assert old in text
    assert problems(table_file, text.replace(old, new, 1))


def _first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n"


def _schema_beside(path: Path) -> Any:
    """The schema file a table's first line names, resolved from the table's folder as the editor does."""
    relative = _first_line(path).split("$schema=", 1)[1].strip()
    return (path.parent / relative).read_text(encoding="utf-8")


def test_init_writes_the_schema_line_and_the_schema_beside_the_tables(tmp_path: Path) -> None:
    written = write_skeleton(tmp_path / "2025", title="某县2025年政务公开重点任务分工", year=2025)
    for path in written:
        assert _first_line(path) == schema_line(path.name)
        assert _schema_beside(path) == schema_text(SCHEMA_FILES[path.name])
        assert problems(path.name, path.read_text(encoding="utf-8")) == []


def test_import_writes_the_schema_line_and_the_schema_beside_the_tables(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(
        "某县2025年任务\n序号\t具体要求\t责任单位\t时限\n1\t公开预算。\t县财政局\t年底前\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    roster = tmp_path / "units.yaml"
    roster.write_text(schema_line("units.yaml") + "units:\n  - {name: 县财政局, kind: department}\n", "utf-8")
    import_table(source, out, year=None, roster=roster, force=False)
    for name in SCHEMA_FILES:
        path = out / name
        assert _first_line(path) == schema_line(name)
        assert path.read_text(encoding="utf-8").count("yaml-language-server") == 1
        assert _schema_beside(path) == schema_text(SCHEMA_FILES[name])
        assert problems(name, path.read_text(encoding="utf-8")) == []
