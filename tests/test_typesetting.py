"""A scan of what gongkai prints at five terminal widths: names, headers, common terms and help paragraphs whole.

Each listing command's table output is read back into columns (a rich table's cells, or the values of the stacked
records a narrow terminal gets) and every two lines that follow each other in one column are checked:

- no unit or group name of the roster (data/units.yaml) is split between them, unless the name with the
  punctuation after it is wider than the column;
- no term of linebreak.UNBROKEN_TERMS is split between them;
- every table header reads as a whole header of some listing (never cut);
- in help pages, no wrapped paragraph ends with a line of one or two characters, and no example is wrapped.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
import typer
import yaml
from conftest import DATA
from typer.testing import CliRunner

from gongkai_cli import views
from gongkai_cli.cli.app import app
from gongkai_cli.linebreak import UNBROKEN_TERMS, cell_width
from gongkai_cli.render import Column

WIDTHS = (40, 60, 80, 100, 132)
COMMANDS = {
    "due": ["due", "--before", "年底", "--include-ongoing"],
    "unit-sfj": ["unit", "市司法局"],
    "unit-gcq": ["unit", "贵池区"],
    "search": ["search", "解读"],
    "units": ["units"],
    "progress": ["progress", "--today", "2024-10-01"],
    "remind": ["remind", "--today", "2024-09-15", "--within", "30d", "-f", "table"],
}


def _roster_names() -> list[str]:
    roster = yaml.safe_load((DATA / "units.yaml").read_text(encoding="utf-8"))
    return [entry["name"] for kind in ("units", "groups") for entry in roster.get(kind) or ()]


NAMES = _roster_names()


def _known_headers() -> set[str]:
    """Every column header (and detail label) the listings declare."""
    headers: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, Column):
            headers.add(value.header)
            collect(value.detail)
        elif isinstance(value, tuple):
            for item in value:
                collect(item)

    for module in pkgutil.iter_modules(views.__path__):
        for value in vars(importlib.import_module(f"{views.__name__}.{module.name}")).values():
            collect(value)
    return headers


HEADERS = _known_headers()


# --- reading output back into columns --------------------------------------------------------------------


class Stream:
    """The lines of one column of one table (or of the stacked values, or of plain paragraphs), top to bottom."""

    def __init__(self, width: int, kind: str) -> None:
        self.width = width
        self.kind = kind
        self.lines: list[str] = []


def _segments_of_rule(rule: str) -> list[int]:
    """Inner widths of the columns from a table's top border (┏━━━┳━━┓): each less its two padding cells."""
    return [cell_width(part) - 2 for part in rule.strip()[1:-1].split("┳")]


def read_columns(text: str, width: int) -> tuple[list[Stream], list[list[str]]]:
    """The column streams of every table and stacked listing in `text`, and each table's header cells."""
    streams: list[Stream] = []
    headers: list[list[str]] = []
    table: list[Stream] = []
    header_lines: list[list[str]] = []
    stacked: Stream | None = None
    paragraph = Stream(width, "paragraph")
    streams.append(paragraph)
    for line in text.splitlines():
        if line.startswith("┏"):
            table = [Stream(w, "cell") for w in _segments_of_rule(line)]
            streams.extend(table)
            header_lines = []
        elif line.startswith("┃"):
            header_lines.append([cell.strip() for cell in line[1:-1].split("┃")])
        elif line.startswith("┡"):
            headers.append(["".join(parts) for parts in zip(*header_lines, strict=True)])
        elif line.startswith("│"):
            for stream, cell in zip(table, line[1:-1].split("│"), strict=True):
                stream.lines.append(cell[1:].rstrip())
        elif line.startswith("└"):
            table = []
        elif line.startswith("─"):
            stacked = None
        elif stacked is None and line.partition("：")[0] in HEADERS:
            stacked = Stream(0, "value")
            streams.append(stacked)
            _add_value(stacked, line, width)
        elif stacked is not None:
            _add_value(stacked, line, width)
        else:
            paragraph.lines.append(line)
    return streams, headers


def _add_value(stream: Stream, line: str, width: int) -> None:
    """A line of a stacked record: `label：  value`, or a continuation indented to the value."""
    if line.startswith(" "):
        stream.lines.append(line.lstrip(" "))
        return
    value = line.partition("：")[2].lstrip(" ")
    stream.width = width - cell_width(line[: len(line) - len(value)])
    stream.lines.append("\x00")  # a new field: no line continues across it
    stream.lines.append(value)


def split_words(stream: Stream, words: list[str], room: int) -> list[tuple[str, str, str]]:
    """(word, line, next line) for each word of `words` split between two lines that follow each other.

    A word is allowed to split when it is wider than the stream's width less `room` cells.
    """
    found = []
    for above, below in pairwise(stream.lines):
        if not above or not below or "\x00" in (above, below):
            continue
        for word in words:
            if cell_width(word) + room > stream.width:
                continue
            for k in range(1, len(word)):
                if above.endswith(word[:k]) and below.startswith(word[k:]):
                    found.append((word, above, below))
    return found


# --- running the commands --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def edited_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled table with one requirement reworded, one unit list changed, one deadline moved."""
    folder = tmp_path_factory.mktemp("edited") / "data"
    shutil.copytree(DATA, folder)
    tasks = folder / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    for old, new in (
        ("持续做好动态更新", "每季度做好动态更新"),
        ("time_limit: 8月底前", "time_limit: 10月底前"),
        (
            "responsibility: 市政务公开办、市司法局牵头，市政府各部门，各县区政府、管委会负责落实",
            "responsibility: 市政务公开办牵头，市数据资源局、市住房城乡建设局，各县区政府、管委会负责落实",
        ),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    tasks.write_text(text, encoding="utf-8")
    return folder


def _output(args: list[str], width: int) -> str:
    # COLUMNS sizes rich's consoles; terminal_width the help formatter (CliRunner would pin it to 80).
    result = CliRunner().invoke(app, args, env={"COLUMNS": str(width)}, terminal_width=width)
    assert result.exit_code in (0, 1), (args, result.output)
    assert "Traceback" not in result.output
    return result.stdout


def _outputs(edited: Path) -> Iterator[tuple[str, int, str]]:
    for width in WIDTHS:
        for name, args in COMMANDS.items():
            yield name, width, _output(args, width)
        yield "diff", width, _output(["diff", str(DATA), str(edited)], width)


@pytest.fixture(scope="module")
def outputs(edited_copy: Path) -> list[tuple[str, int, str]]:
    return list(_outputs(edited_copy))


def test_every_output_was_read(outputs: list[tuple[str, int, str]]) -> None:
    # Each command printed rows at every width, in a table or stacked; the scan below has something to check.
    for name, width, text in outputs:
        streams, _ = read_columns(text, width)
        assert any(s.kind != "paragraph" and len(s.lines) > 1 for s in streams), (name, width, text)


def test_no_name_split_unless_wider_than_its_column(outputs: list[tuple[str, int, str]]) -> None:
    problems = []
    for name, width, text in outputs:
        streams, _ = read_columns(text, width)
        for stream in streams:
            if stream.kind != "paragraph":
                # The name and a 、 or ， after it must fit for it to be kept whole.
                problems += [(name, width, *split) for split in split_words(stream, NAMES, room=2)]
    assert not problems, problems[:10]


def test_no_common_term_split(outputs: list[tuple[str, int, str]]) -> None:
    problems = []
    for name, width, text in outputs:
        for stream in read_columns(text, width)[0]:
            problems += [(name, width, *split) for split in split_words(stream, list(UNBROKEN_TERMS), room=0)]
    assert not problems, problems[:10]


def test_no_header_cut(outputs: list[tuple[str, int, str]]) -> None:
    seen = set()
    for name, width, text in outputs:
        for headers in read_columns(text, width)[1]:
            for header in headers:
                assert header in HEADERS, (name, width, header)
                seen.add(header)
    assert {"不再承担（原编号）", "责任单位", "配合单位", "任务要求"} <= seen


# --- help pages ------------------------------------------------------------------------------------------


def _help_pages() -> Iterator[tuple[str, int, str]]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for width in WIDTHS:
        for command in ["", *sorted(group.commands)]:
            args = [command, "--help"] if command else ["--help"]
            yield command or "gongkai", width, _output(args, width)


@pytest.fixture(scope="module")
def help_pages() -> list[tuple[str, int, str]]:
    return list(_help_pages())


def _column_of(line: str, cells: int) -> str | None:
    """The character at cell offset `cells` of `line` if text starts there after a space, else None."""
    used = 0
    for k, ch in enumerate(line):
        if used == cells:
            return ch if k > 0 and line[k - 1] == " " and ch != " " else None
        used += cell_width(ch)
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _continues(above: str, line: str) -> bool:
    """Whether `line` continues the paragraph or description `above` (it starts where that text starts)."""
    if not above.strip() or not line.startswith(" ") or not line.strip():
        return False
    indent = _indent(line)
    return _indent(above) == indent or _column_of(above, indent) is not None


def test_help_paragraphs_end_with_more_than_two_characters(help_pages: list[tuple[str, int, str]]) -> None:
    problems = []
    for command, width, text in help_pages:
        lines = text.splitlines()
        for k in range(1, len(lines)):
            last = k + 1 == len(lines) or not _continues(lines[k], lines[k + 1])
            if _continues(lines[k - 1], lines[k]) and last:
                characters = len(lines[k].strip().replace(" ", ""))
                if characters <= 2:
                    problems.append((command, width, lines[k - 1], lines[k]))
    assert not problems, problems[:10]


def test_help_has_no_common_term_split(help_pages: list[tuple[str, int, str]]) -> None:
    problems = []
    for command, width, text in help_pages:
        lines = text.splitlines()
        for above, below in pairwise(lines):
            if _continues(above, below):
                stream = Stream(width, "help")
                stream.lines = [above.strip(), below.strip()]
                problems += [(command, width, *split) for split in split_words(stream, list(UNBROKEN_TERMS), 0)]
    assert not problems, problems[:10]


def test_help_examples_are_never_wrapped(help_pages: list[tuple[str, int, str]]) -> None:
    """Each example is whole on its line, or continued with " \\" on lines at its indent; an option keeps its
    value and the program its command."""
    problems = []
    for command, width, text in help_pages:
        lines = text.splitlines()
        for k, line in enumerate(lines):
            if line.strip() != "示例：":
                continue
            above = ""
            for example in lines[k + 1 :]:
                if not example.strip():
                    break
                if above.endswith(" \\"):
                    before, after = above.split()[-2], example.split()[0]
                    value_cut = before.startswith("-") and not after.startswith("-")
                    whole = _indent(example) == _indent(above) and before != "gongkai" and not value_cut
                else:
                    whole = example.strip().startswith("gongkai ")
                if not whole:
                    problems.append((command, width, above, example))
                above = example
    assert not problems, problems[:10]
