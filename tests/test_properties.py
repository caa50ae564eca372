"""Properties: whatever the data files or the arguments, gongkai exits 0, 1 or 2 and never with a traceback.

The data strategies damage the shipped YAML the way an editor, a merge or a bad encoding would (flipped bytes,
lost, doubled or cut-off lines, renamed keys, values moved between lines or replaced by values of another type,
stray text with control characters); the argument strategies combine the real commands and options, read from
the app, with arbitrary text and numbers. How many examples each draws is the profile's (see conftest): about a
hundred by default, many more in CI; the runs are derandomized, so every run tries the same examples.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import DATA
from hypothesis import event, example, given
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner, Result

from gongkai_cli.cli.app import app

FILES = ("tasks.yaml", "units.yaml")
SHIPPED = {name: (DATA / name).read_bytes() for name in FILES}
NO_CACHE = {"GONGKAI_CACHE_DIR": "off"}


def invoke(args: list[str], env: dict[str, str] | None = None) -> Result:
    """Run gongkai in-process; it may fail, but only with an exit code of 0, 1 or 2 and never a traceback."""
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, (args, result.output)
    return result


# --- damaged data files ----------------------------------------------------------------------------------

KEY_LINE = re.compile(rb"^(\s*(?:- )?)([A-Za-z_]+):", re.MULTILINE)
VALUE_LINE = re.compile(rb"^(\s*(?:- )?[A-Za-z_]+: )(\S.*)$", re.MULTILINE)
KEYS = sorted({m[2].decode() for text in SHIPPED.values() for m in KEY_LINE.finditer(text)})

# Fragments that mean something to YAML, to the schema or to a terminal.
SPECIAL_TEXT = [
    "\x00",
    "\x1b[2J",
    "\x07",
    "\r",
    "\t",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u2028",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!!binary AAAA",
    "{",
    "[",
    "'",
    '"',
    "- ",
    ": ",
    "#",
    "|",
    ">",
    "? ",
    "...",
    "---",
    "~",
    "null",
    "2024-02-30",
    "9" * 5000,
    "1e400",
    ".nan",
    "-1",
    "number: 1",
    "kind: deadline",
]
# Values of every type YAML can spell, for a field that expects another.
YAML_VALUES = [
    "2147483648",
    "-9223372036854775809",
    "1" + "0" * 5000,
    "1e400",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "+.5",
    "-0",
    "true",
    "no",
    "null",
    "~",
    "''",
    "'17'",
    "[]",
    "{}",
    "[a, [b, [c]]]",
    "{a: 1}",
    "2024-02-30",
    "2024-12-31T10:00:00+08:00",
    "0000-01-01",
    "!!binary AAAA",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!float 1",
    "!!str 17",
    "!!timestamp 2024-01-01",
    "&x 甲",
    "*x",
    "<<: {a: 1}",
    "|\n  多行\n  文字",
    "deadline",
    "ongoing",
    "from",
    "county",
    "relevant",
]
stray_text = st.one_of(
    st.sampled_from(SPECIAL_TEXT),
    st.text(max_size=12),
    st.text(st.characters(max_codepoint=0x9F), max_size=6),
)

OPERATIONS = ("flip", "delete", "duplicate", "rename", "swap", "retype", "insert", "truncate")
Mutation = tuple[str, str, int, int, str]
mutations = st.tuples(
    st.sampled_from(FILES),
    st.sampled_from(OPERATIONS),
    st.integers(min_value=0, max_value=2**31),
    st.integers(min_value=0, max_value=2**31),
    stray_text,
)


def mutate(data: bytes, operation: str, a: int, b: int, text: str) -> bytes:
    """One deterministic edit of a file's bytes; `a` and `b` choose where, `text` is what comes in."""
    if not data:  # an earlier edit left nothing: all that can happen is that text comes in
        return text.encode("utf-8", "surrogatepass")
    lines = data.split(b"\n")
    if operation == "flip":
        where = a % len(data)
        return data[:where] + bytes([data[where] ^ (b % 255 + 1)]) + data[where + 1 :]
    if operation == "delete":
        del lines[a % len(lines)]
        return b"\n".join(lines)
    if operation == "duplicate":
        where = a % len(lines)
        lines.insert(where, lines[where])
        return b"\n".join(lines)
    if operation == "rename":
        keys = list(KEY_LINE.finditer(data))
        if not keys:
            return data
        m = keys[a % len(keys)]
        new = (text if b % 2 else KEYS[b // 2 % len(KEYS)]).encode("utf-8", "surrogatepass")
        return data[: m.start(2)] + new + data[m.end(2) :]
    if operation == "swap":
        values = list(VALUE_LINE.finditer(data))
        if len(values) < 2:
            return data
        i = a % len(values)
        j = (i + 1 + b % (len(values) - 1)) % len(values)
        one, two = values[min(i, j)], values[max(i, j)]
        return data[: one.start(2)] + two[2] + data[one.end(2) : two.start(2)] + one[2] + data[two.end(2) :]
    if operation == "retype":
        values = list(VALUE_LINE.finditer(data))
        if not values:
            return data
        m = values[a % len(values)]
        new = (text if b % 2 else YAML_VALUES[b // 2 % len(YAML_VALUES)]).encode("utf-8", "surrogatepass")
        return data[: m.start(2)] + new + data[m.end(2) :]
    if operation == "insert":
        where = a % (len(data) + 1)
        return data[:where] + text.encode("utf-8", "surrogatepass") + data[where:]
    return data[: a % (len(data) + 1)]


QUERIES = {
    "due": ["due", "--before", "2024-09-30", "-f", "json"],
    "unit": ["unit", "市司法局"],
}


def damaged_folder(root: Path, damage: list[Mutation]) -> Path:
    contents = dict(SHIPPED)
    for name, *edit in damage:
        contents[name] = mutate(contents[name], *edit)
    for name, data in contents.items():
        (root / name).write_bytes(data)
    return root


@given(damage=st.lists(mutations, min_size=1, max_size=3), query=st.sampled_from(sorted(QUERIES)))
@example(damage=[("tasks.yaml", "insert", 0, 0, "\ufeff\ufeff")], query="due")
@example(damage=[("tasks.yaml", "rename", 0, 1, "document")], query="unit")
@example(damage=[("units.yaml", "truncate", 0, 0, "")], query="unit")
@example(damage=[("tasks.yaml", "insert", 10**9, 0, "\x00")], query="due")
def test_damaged_data_never_crashes(damage: list[Mutation], query: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = damaged_folder(Path(scratch), damage)
        checked = invoke(["check", str(folder)], env=NO_CACHE)
        answered = invoke(["--data", str(folder), *QUERIES[query]], env=NO_CACHE)
    event(f"check exit {checked.exit_code}, {query} exit {answered.exit_code}")
    # check and the queries read the data the same way: what one refuses, the other refuses too.
    if checked.exit_code == 1:
        assert answered.exit_code == 1, (damage, answered.output)
    elif checked.exit_code == 0:
        assert answered.exit_code in ((0,) if query == "due" else (0, 2)), (damage, answered.output)


def test_every_operation_changes_the_data() -> None:
    """The mutations are not silently no-ops (which would make the property above test nothing)."""
    for name, data in SHIPPED.items():
        for operation in OPERATIONS:
            changed = [mutate(data, operation, a, a * 7 + 3, "新") != data for a in range(50)]
            assert sum(changed) >= 25, (name, operation, sum(changed))


# --- arbitrary arguments ---------------------------------------------------------------------------------

# Completion options would edit the user's shell start-up files or print a script: never drawn.
UNSAFE_OPTIONS = {"--install-completion", "--show-completion"}
# Commands that write files (a new table wherever they are pointed): tested on their own elsewhere.
UNSAFE_COMMANDS = {"init", "import", "report", "export"}


class Option(NamedTuple):
    names: tuple[str, ...]
    is_flag: bool


def _vocabulary() -> tuple[list[Option], dict[str, tuple[list[Option], list[str]]]]:
    """The global options, and each command's options and argument names, read from the app itself."""

    def options(params: list[Any]) -> list[Option]:
        found = [
            Option(tuple(p.opts + p.secondary_opts), bool(p.is_flag)) for p in params if p.param_type_name == "option"
        ]
        return [o for o in found if not UNSAFE_OPTIONS & set(o.names)] + [Option(("-h", "--help"), True)]

    group: Any = get_command(app)
    commands = {
        name: (options(command.params), [p.name for p in command.params if p.param_type_name == "argument"])
        for name, command in group.commands.items()
        if name not in UNSAFE_COMMANDS
    }
    return options(group.params), commands


GLOBAL_OPTIONS, COMMANDS = _vocabulary()
OPTIONS = sorted({name for o in GLOBAL_OPTIONS + [o for c in COMMANDS.values() for o in c[0]] for name in o.names})

HUGE = "1" + "0" * 5000
UNIT_NAMES = ["市司法局", "司法", "sifaju", "sfj", "市政府各部门", "青阳县", "管委会", "局", "市", "Sfj", "市司法局 "]
DATES = ["2024-09-30", "2024/9/30", "9/30", "20240930", "2024年9月30日", "9月底", "9月", "年底", "上半年"]
DATES += ["三季度末", "2024-02-30", "2024-13-01", "9999-12-31", "0001-01-01", "1900-01-01", "明天", HUGE]
SPANS = ["30d", "2w", "1m", "1y", "30天", "2周", "1个月", "1年", "0d", "-5d", "d", "99999999999y", HUGE + "d"]
FORMATS = ["table", "json", "csv", "md", "text", "github", "TABLE", " json ", "xml"]
REFS = ["四", "4", "4.2", "四.二", "四、", "十一", "11.3", "0", "99", "4.99", "一.一.一", HUGE]
NUMBERS = ["17", "1", "44", "0", "-1", "45", "017", "１７", "十七", HUGE]
PATHS = ["broken", "broken/tasks.yaml", "missing", ".", "/", "", str(DATA), str(DATA / "units.yaml"), "/nonexistent"]
WORDS = ["解读", "公开", "年底", "[bold]红[/]", "\x1b[2J", "\u202e", "%s%n", "*", "(", "\\", ""]
VALUES_OF = {
    "--before": DATES,
    "--after": DATES,
    "--today": DATES,
    "--within": SPANS,
    "--format": FORMATS,
    "--unit": UNIT_NAMES,
    "--sort": ["role", "date", "Date", "urgency"],
    "--data": ["broken", "missing", str(DATA), "", "."],
    "name": UNIT_NAMES,
    "numbers": NUMBERS,
    "ref": REFS,
    "text": WORDS + UNIT_NAMES,
    "paths": PATHS,
    "old": [*PATHS, "HEAD", "HEAD~1:", "2024", "nonesuch:"],
    "new": [*PATHS, "HEAD:", "2025", str(DATA)],
}
VALUES = sorted({value for values in VALUES_OF.values() for value in values})

# What a command line can hold: no NUL (argv entries are C strings) and no surrogates, except the \udc80-\udcff
# that stand for bytes that are not UTF-8.
free_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=15),
    st.lists(st.sampled_from(["市", "a", "-", "\udcff", "\udc80", "\x1b"]), max_size=6).map("".join),
)
anything = st.one_of(st.sampled_from(VALUES), free_text, st.integers().map(str))
token = st.one_of(st.sampled_from(OPTIONS), st.sampled_from(sorted(COMMANDS)), anything)


def value_for(name: str) -> st.SearchStrategy[str]:
    """Mostly the values this option or argument takes (right and wrong ones), sometimes anything."""
    known = VALUES_OF.get(name) or VALUES_OF.get(name.lstrip("-"))
    return st.one_of(st.sampled_from(known), anything) if known else anything


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """Global options, a command, its arguments and options (in any order), now and then a stray token."""
    line: list[str] = []
    for option in draw(st.lists(st.sampled_from(GLOBAL_OPTIONS), max_size=2, unique=True)):
        line += [option.names[0]] if option.is_flag else [option.names[0], draw(value_for(option.names[0]))]
    name = draw(st.sampled_from(sorted(COMMANDS)))
    options, arguments = COMMANDS[name]
    pieces = [[draw(value_for(argument))] for argument in arguments if draw(st.integers(0, 5))]
    for option in draw(st.lists(st.sampled_from(options), max_size=3)):
        spelled = draw(st.sampled_from(option.names))
        pieces.append([spelled] if option.is_flag else [spelled, draw(value_for(option.names[0]))])
    if not draw(st.integers(0, 4)):
        pieces.append([draw(token)])
    return [*line, name, *(part for piece in draw(st.permutations(pieces)) for part in piece)]


arguments = st.one_of(command_lines(), command_lines(), st.lists(token, max_size=6))


@pytest.fixture(scope="module", autouse=True)
def _scratch_cwd() -> Iterator[None]:
    """Arguments are relative to a scratch folder holding a `broken` data folder (and nothing else to touch)."""
    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as patch:
        broken = Path(scratch, "broken")
        broken.mkdir()
        (broken / "units.yaml").write_bytes(SHIPPED["units.yaml"])
        (broken / "tasks.yaml").write_bytes(SHIPPED["tasks.yaml"].replace(b"number: 44", b"number: 4400"))
        patch.chdir(scratch)
        yield


@given(args=arguments)
@example(args=["show", HUGE])
@example(args=["due", "--within", HUGE + "d"])
@example(args=["section", HUGE])
@example(args=["--data", "", "units"])
@example(args=["--data", "broken", "units"])
@example(args=["unit", "\udcff"])
@example(args=["--data", "\udcff", "check"])
@example(args=["due", "--before", "2024-12-31", "--after", "2025-01-01"])
def test_arbitrary_arguments_never_crash(args: list[str]) -> None:
    event(f"exit {invoke(args).exit_code}")


def test_argument_vocabulary_is_the_real_one() -> None:
    """The strategies draw the CLI's own names, read from the app: a renamed option stays covered."""
    assert {"--data", "--format", "--before", "--within", "--today", "-h"} <= set(OPTIONS)
    assert {"unit", "due", "show", "section", "search", "units", "timeline", "scoring", "check"} <= set(COMMANDS)
    assert not UNSAFE_OPTIONS & set(OPTIONS)
    assert not UNSAFE_COMMANDS & set(COMMANDS)
    assert {"name", "numbers", "ref", "text", "paths", "old", "new"} >= {
        a for _, arguments in COMMANDS.values() for a in arguments
    }
    assert os.environ.get("GONGKAI_CACHE_DIR"), "conftest keeps the cache private"
