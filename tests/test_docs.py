"""The README documents the whole command line: every command, every option, and the exit codes the code defines.

The commands and options are read from the app itself, so a new option fails here until the README names it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import REPO
from typer.main import get_command

from gongkai_cli.cli.app import app

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Each command with the words that call it, the app itself first (its global options)."""
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        if not command.hidden:
            yield from _commands(command, (*path, name))


COMMANDS = list(_commands(get_command(app)))
OPTIONS = [
    (path, name)
    for path, command in COMMANDS
    for param in command.params
    if param.param_type_name == "option" and not param.hidden
    for name in (*param.opts, *param.secondary_opts)
]


def _named(word: str) -> bool:
    """`word` stands in the README on its own, not as part of a longer name (-u is not --unit)."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", README) is not None


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS if path], ids=" ".join)
def test_every_command_is_documented(path: tuple[str, ...]) -> None:
    assert f"gongkai {' '.join(path)}" in README


@pytest.mark.parametrize(("path", "option"), OPTIONS, ids=[" ".join((*p, o)) for p, o in OPTIONS])
def test_every_option_is_documented(path: tuple[str, ...], option: str) -> None:
    assert _named(option), f"README.md does not name {option} of {' '.join(('gongkai', *path))}"


def test_the_walk_finds_the_command_line() -> None:
    """The lists above are the real ones (a walk that found nothing would pass every test)."""
    assert {("unit",), ("due",), ("check",), ("report",)} <= {path for path, _ in COMMANDS}
    assert {((), "--data"), (("due",), "--before"), (("report",), "--evidence"), (("due",), "-f")} <= set(OPTIONS)


def _exit_codes() -> dict[str, int]:
    """The EXIT_* constants of the CLI's modules, by name."""
    package = importlib.import_module("gongkai_cli.cli")
    modules = [package]
    if hasattr(package, "__path__"):
        modules += [
            importlib.import_module(m.name) for m in pkgutil.walk_packages(package.__path__, "gongkai_cli.cli.")
        ]
    return {
        name: value
        for module in modules
        for name, value in vars(module).items()
        if name.startswith("EXIT_") and isinstance(value, int)
    }


def _readme_exit_codes() -> dict[int, str]:
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    return {int(m[1]): m[2] for m in re.finditer(r"^\| (\d+) \| (.+) \|$", section, re.MULTILINE)}


def test_the_exit_code_table_matches_the_code() -> None:
    defined = _exit_codes()
    assert set(defined) >= {"EXIT_DATA", "EXIT_USAGE"}, defined
    documented = _readme_exit_codes()
    assert set(documented) == {0, *defined.values()}, documented
    assert documented[defined["EXIT_DATA"]].startswith("the data has problems")
    assert documented[defined["EXIT_USAGE"]].startswith("bad usage")
