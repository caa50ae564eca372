"""One term for one thing: what gongkai writes uses the terms of the house, each retired form checked in its role.

The term table (what gongkai writes; what users and data files write is still read):

| retired                                        | the term                                          |
|------------------------------------------------|---------------------------------------------------|
| 群体, 全体（经群体）, 相关（按职责）              | 统称; 各单位 / 有关单位 for its two kinds           |
| 协同单位, 协助 (and 配合 alone as a label)       | 配合单位                                           |
| 日期, 截止, 到期, 下一截止                         | 截止日期 (时限 for the table's printed wording)     |
| 期限 for a duration                              | 时长                                               |
| 编号, 序号 for a task                             | 任务编号                                           |
| 填报, 读回, 读入                                   | 报送 (units), 汇总台账 (the office)                 |
| 加减分, 计分, 考评 standing alone                  | 考评加减分                                         |
| ranges 1…44, 1–4                                 | 1～44                                              |

Plain substring matching cannot work (编号 sits inside 任务编号, 截止 inside 截止日期), so each retired form is a
pattern for the role it had, checked against what that role reaches: every help page, every column header, the
messages raised in the source (found by reading it) and the messages and text answers of commands that fail or
answer in prose. Requirements quoted from the table (…在年度政务公开考评中…, 协助开展…) are the table's words and
are not checked.
"""

from __future__ import annotations

import ast
import csv
import importlib
import io
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from conftest import DATA
from typer.testing import CliRunner

import gongkai_cli
from gongkai_cli import views
from gongkai_cli.cli.app import app
from gongkai_cli.render import Column
from gongkai_cli.vocabulary import HEADERS, ROLE_LABELS

SOURCE = Path(gongkai_cli.__file__).parent

# --- the retired forms, by role -------------------------------------------------------------------------------

NUMERAL = "[0-9一二三四五六七八九十]"

# Checked in every help page, header and message.
RETIRED: dict[str, re.Pattern[str]] = {
    "群体 for a group": re.compile("群体"),
    "全体/相关 as a role": re.compile("全体（|相关（|经群体|按职责相关"),
    "协同单位 or 协助": re.compile("协同单位|协助"),
    "到期 or 下一截止": re.compile("到期|下一截止"),
    "截止 for a date": re.compile("(?<!将)(?<!近期)截止(?!日期)"),  # 即将截止 is a verb
    "期限 for a duration": re.compile("(?<!完成)期限"),
    "编号 alone for a task": re.compile("(?<!任务)(?<!原)编号"),
    "序号 for a task": re.compile("(?<!部分)(?<!小标题)序号"),
    "填报, 读回 or 读入": re.compile("填报|读回|读入"),
    "加减分 or 考评 alone": re.compile("(?<!考评)加减分|计分|考评(?!加减分)"),
    "a range with … or –": re.compile(f"{NUMERAL}\\s*[…–]\\s*{NUMERAL}"),
}
# Only headers: a column of dates is 截止日期, a list of fellow units 配合单位.
RETIRED_HEADERS = {"日期", "截止", "编号", "序号", "协同单位", "经由群体", "单位或群体", "全体", "相关", "下一截止"}

# The words an importer quotes from the source table's own header row (序号、工作任务、具体要求…): the source's words,
# named as the table prints them, which the reader still reads.
SOURCE_HEADER_MODULES = ("importers/",)


# --- what gongkai writes ----------------------------------------------------------------------------------------


def _invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"}, terminal_width=200)
    assert "Traceback" not in result.output, (args, result.output)
    return result.exit_code, result.stdout, result.stderr


def _help_pages() -> Iterator[tuple[str, str]]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for command in ["", *sorted(group.commands)]:
        yield f"{command or 'gongkai'} --help", _invoke([command, "--help"] if command else ["--help"])[1]


def _view_headers() -> Iterator[tuple[str, str]]:
    def collect(where: str, value: object) -> Iterator[tuple[str, str]]:
        if isinstance(value, Column):
            yield where, value.header
            if value.detail is not None:
                yield from collect(where, value.detail)
        elif isinstance(value, tuple):
            for item in value:
                yield from collect(where, item)

    for module in pkgutil.iter_modules(views.__path__):
        for name, value in vars(importlib.import_module(f"{views.__name__}.{module.name}")).items():
            yield from collect(f"views.{module.name}.{name}", value)
    yield from ((f"HEADERS[{key}]", header) for key, header in HEADERS.items())


# Calls whose text arguments reach the user: exceptions, the CLI's failures and notes, problems found in data.
MESSAGE_CALLS = frozenset({"fail", "note", "problem", "refuse", "Note", "print_note", "fail_with_problems"})


def _text(node: ast.expr) -> str | None:
    """A string literal as the user reads it, each {placeholder} of an f-string shown as {x}."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(part) or "{x}" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return (left or "{x}") + (right or "{x}") if left is not None or right is not None else None
    return None


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _source_messages() -> Iterator[tuple[str, str]]:
    """Every text handed to an exception, fail, note or a data problem in the package, and every help= text."""
    for path in sorted(SOURCE.rglob("*.py")):
        where = path.relative_to(SOURCE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _called(node)
            arguments = [*node.args, *(k.value for k in node.keywords if k.arg in ("help", "message"))]
            if not (name in MESSAGE_CALLS or name.endswith("Error")):
                arguments = [k.value for k in node.keywords if k.arg == "help"]
            for argument in arguments:
                text = _text(argument)
                if text and re.search("[\u4e00-\u9fff]", text):
                    yield f"{where}:{node.lineno}", text


# Commands whose messages are composed as they run (the source holds only their parts), and answers in prose:
# titles, summaries, reminders, headers. The other messages are read from the source above.
FAILING = [
    ["show", "99"],
    ["unit", "不存在局"],
    ["due", "--before", "9月", "--after", "10月"],
    ["due", "-f", "xml"],
    ["report", "5", "--unit", "市政府各部门", "--status", "已完成"],
    ["diff", "no-such-version", str(DATA)],
    ["--table", "2030", "due"],
]
ANSWERS = [
    ["search", "没有这样的词"],
    ["unit", "贵池区", "--today", "2024-09-01", "-f", "md"],
    ["unit", "市政府各部门", "--today", "2024-09-01", "-f", "md"],
    ["units", "--today", "2024-09-01", "-f", "md"],
    ["sections", "-f", "md"],
    ["show", "23", "6", "-f", "md"],
    ["progress", "--tasks", "--today", "2024-10-01", "-f", "md"],
    ["remind", "--today", "2024-09-15", "--within", "30d"],
]


def _markdown_parts(text: str) -> str:
    """What a command writes of its own in a Markdown answer: its title and headers, not the table's cells."""
    lines = text.splitlines()
    kept = [line for line in lines if not line.startswith("| ") or line is _header_row(lines)]
    return "\n".join(kept)


def _header_row(lines: list[str]) -> str | None:
    return next((line for line in lines if line.startswith("| ")), None)


def _remind_parts(text: str) -> str:
    """A reminder's own words: the heading, each opening line and each item up to the table's requirement."""
    return "\n".join(line.partition("）：")[0] for line in text.splitlines())


@pytest.fixture(scope="module")
def written() -> dict[str, list[tuple[str, str]]]:
    """Every help page, header and message, by kind: (where, text)."""
    messages = list(_source_messages())
    for args in FAILING:
        code, _, stderr = _invoke(args)
        assert code != 0, args
        messages.append((" ".join(args), stderr))
    answers = []
    for args in ANSWERS:
        code, stdout, stderr = _invoke(args)
        assert code == 0, (args, stderr)
        own = _remind_parts(stdout) if args[0] == "remind" else _markdown_parts(stdout)
        answers.append((" ".join(args), own + "\n" + stderr))
    return {"help": list(_help_pages()), "headers": list(_view_headers()), "messages": messages, "answers": answers}


# --- the checks -----------------------------------------------------------------------------------------------


def _allowed(role: str, where: str, text: str, match: re.Match[str]) -> bool:
    """Where a retired form is the right word after all."""
    if role == "序号 for a task" and where.startswith(SOURCE_HEADER_MODULES):
        return True  # the source table's own column, named as it prints it
    # The numerals of sections and subsections (一、（二）) are their 序号: not a task's.
    return (
        role == "序号 for a task"
        and where.startswith("validate.py")
        and any(
            word in text
            for word in ("小标题", "部分", "{x}序号")  # {x}: 部分 or 小标题
        )
    )


def _offences(items: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    found = []
    for where, text in items:
        for role, pattern in RETIRED.items():
            for match in pattern.finditer(text):
                if not _allowed(role, where, text, match):
                    start = max(match.start() - 12, 0)
                    found.append((role, where, text[start : match.end() + 12]))
    return found


def test_help_pages_use_the_terms(written: dict[str, list[tuple[str, str]]]) -> None:
    assert len(written["help"]) > 15
    offences = _offences(written["help"])
    assert not offences, offences[:10]


def test_headers_use_the_terms(written: dict[str, list[tuple[str, str]]]) -> None:
    headers = written["headers"]
    assert {"任务编号", "截止日期", "时限", "配合单位", "所属统称", "单位或统称", "下个截止日期"} <= {
        h for _, h in headers
    }
    assert not [(where, h) for where, h in headers if h in RETIRED_HEADERS]
    offences = _offences(headers)
    assert not offences, offences[:10]


def test_messages_in_the_source_use_the_terms(written: dict[str, list[tuple[str, str]]]) -> None:
    assert len(written["messages"]) > 200  # the collection found the package's messages
    offences = _offences(written["messages"])
    assert not offences, offences[:10]


def test_answers_in_prose_use_the_terms(written: dict[str, list[tuple[str, str]]]) -> None:
    offences = _offences(written["answers"])
    assert not offences, offences[:10]


def test_messages_name_no_argument_in_a_prefix(written: dict[str, list[tuple[str, str]]]) -> None:
    """A message says what went wrong and what to type; it does not open with 参数“X”： or 参数 --x：."""
    prefixed = re.compile(r"参数(“[^”]*”| -[-\w]+)：")
    found = [(where, text) for where, text in written["messages"] if prefixed.search(text)]
    assert not found, found[:10]


def test_role_labels_are_the_terms() -> None:
    # A group's two kinds, named as the table names them (市政府各部门, 市政府有关部门) in words that fit a county
    # too: 各单位 and 有关单位. The 台账 keeps the words it exports, which it reads back.
    assert [ROLE_LABELS[role] for role in ("lead", "named", "support", "group", "relevant")] == [
        "牵头",
        "负责",
        "配合",
        "各单位",
        "有关单位",
    ]
    code, stdout, _ = _invoke(["unit", "市司法局", "-f", "csv"])
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(stdout.lstrip("\ufeff"))))
    assert {row["关系"] for row in rows} == {"牵头", "负责", "各单位", "有关单位"}
    assert {row["所属统称"] for row in rows if row["关系"] == "各单位"} == {"市政府各部门"}
