"""The JSON Schema of the data format, generated from the records in models.py.

Editors that read JSON Schema (VS Code with the YAML extension, any editor with yaml-language-server) then offer
completion of the keys and mark a misspelt key or a value of the wrong type while a clerk types. Each table file
written by `init` and `import` starts with a line naming its schema, which those editors follow:

    # yaml-language-server: $schema=.schema/tasks.schema.json

The schema files are written beside the tables, in the data folder's hidden `.schema` folder (table discovery
skips hidden folders), so that they are there with no network and whatever machine the folder is copied to.
The copies in data/.schema are kept equal to this module's output by a test; regenerate them with

    python -m gongkai_cli.schema [DATA_FOLDER]

The schema says what the records say: the keys of each mapping, which are required, the types, and the values
of a vocabulary. It cannot say what `check` reads from the text (that a unit is in the roster, that a time
limit is understood), so a file it accepts may still have problems that `check` reports.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from .models import TaskFile, UnitFile, _Schema, _Synonyms, _TextShorthand

SCHEMA_FOLDER = ".schema"
# Each table file and the schema it follows.
SCHEMA_FILES = {"tasks.yaml": "tasks.schema.json", "units.yaml": "units.schema.json"}
MODELS: dict[str, type] = {"tasks.schema.json": TaskFile, "units.schema.json": UnitFile}
TITLES = {
    "tasks.schema.json": "gongkai 任务表（tasks.yaml）",
    "units.schema.json": "gongkai 单位名册（units.yaml）",
}
LINE_PREFIX = "# yaml-language-server: $schema="

# pydantic's core-schema settings (see models._Schema) in JSON Schema's words, for texts and numbers.
_TEXT_SETTINGS = {"min_length": "minLength"}
_NUMBER_SETTINGS = {"ge": "minimum", "le": "maximum"}


class _Builder:
    """Definitions of the records a file model reaches, one per record class."""

    def __init__(self) -> None:
        self.definitions: dict[str, Any] = {}

    def record(self, record: type) -> dict[str, Any]:
        name = record.__name__
        if name not in self.definitions:
            self.definitions[name] = {}  # placeholder: a record that reaches itself refers to this entry
            hints = get_type_hints(record, include_extras=True)
            defaults: dict[str, Any] = record._field_defaults  # type: ignore[attr-defined]
            self.definitions[name] = {
                "type": "object",
                "properties": {field: self.kind(hints[field]) for field in record._fields},  # type: ignore[attr-defined]
                "required": [field for field in record._fields if field not in defaults],  # type: ignore[attr-defined]
                "additionalProperties": False,
            }
        return {"$ref": f"#/definitions/{name}"}

    def kind(self, kind: Any) -> dict[str, Any]:
        """The schema of one field's type."""
        origin = get_origin(kind)
        if origin is Annotated:
            return self.annotated(*get_args(kind))
        if origin in (Union, UnionType):
            return {"anyOf": [self.kind(arg) for arg in get_args(kind)]}
        if origin is tuple:
            item, *_ = get_args(kind)
            return {"type": "array", "items": self.kind(item)}
        if origin is Literal:
            return {"enum": list(get_args(kind))}
        if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
            return self.record(kind)
        simple = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}
        if kind in simple:
            return {"type": simple[kind]}
        if kind is datetime.date:
            return {"type": "string", "format": "date"}
        raise TypeError(f"no JSON Schema for {kind!r}")

    def annotated(self, kind: Any, *metadata: Any) -> dict[str, Any]:
        schema = self.kind(kind)
        for meta in metadata:
            if isinstance(meta, _Schema):
                names = _TEXT_SETTINGS if kind is str else _NUMBER_SETTINGS
                schema.update({names[k]: v for k, v in meta.settings.items() if k in names})
            elif isinstance(meta, _Synonyms):  # the Chinese labels are accepted too
                schema = {"enum": [*schema["enum"], *meta.keys]}
            elif isinstance(meta, _TextShorthand):  # the mapping, or its text alone
                text = self.kind(get_type_hints(kind, include_extras=True)["text"])
                schema = {"anyOf": [text, schema]}
        return schema


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 7, what yaml-language-server reads) of the table file `name` (tasks.schema.json …)."""
    builder = _Builder()
    root = builder.record(MODELS[name])
    top = builder.definitions[root["$ref"].rsplit("/", 1)[1]]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": TITLES[name],
        **top,
        "definitions": {key: value for key, value in builder.definitions.items() if value is not top},
    }


def schema_text(name: str) -> str:
    """The schema file's text: stable key order, Chinese as it is, a final newline."""
    return json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n"


def schema_line(table_file: str) -> str:
    """The first line of a table file, pointing editors at its schema in the folder's .schema folder."""
    return f"{LINE_PREFIX}{SCHEMA_FOLDER}/{SCHEMA_FILES[table_file]}\n"


def with_schema_line(table_file: str, text: str) -> str:
    """`text` starting with the schema line of `table_file` (replacing one already there)."""
    if text.startswith(LINE_PREFIX):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return schema_line(table_file) + text


def write_schemas(folder: Path) -> list[Path]:
    """Write the schema files into `folder`/.schema (created if missing) through the one writer."""
    from .io.write import write_folder

    target = folder / SCHEMA_FOLDER
    write_folder(target, {name: schema_text(name).encode("utf-8") for name in MODELS})
    return [target / name for name in MODELS]


def main(argv: list[str] | None = None) -> None:
    """`python -m gongkai_cli.schema [FOLDER]`: write the schema files into FOLDER/.schema (default: data)."""
    args = sys.argv[1:] if argv is None else argv
    for path in write_schemas(Path(args[0] if args else "data")):
        print(f"已写入 {path}")


if __name__ == "__main__":
    main()


__all__ = ["SCHEMA_FILES", "SCHEMA_FOLDER", "schema", "schema_line", "schema_text", "with_schema_line", "write_schemas"]
