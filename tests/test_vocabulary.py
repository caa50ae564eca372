"""The word lists and the registry of problem codes: one list each, used everywhere, documented in the README."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from conftest import REPO

from gongkai_cli import problems
from gongkai_cli.importers.columns import header_role
from gongkai_cli.models import Document, plan_period
from gongkai_cli.responsibility import parse_responsibility
from gongkai_cli.vocabulary import field_names, guess_kind, labels

PACKAGE = Path(problems.__file__).parent
README = REPO / "README.md"


# --- header names and in-cell labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("序号", "number"),
        ("重点任务", "work_item"),
        ("主要工作任务", "work_item"),
        ("具体内容", "requirement"),
        ("具体工作要求", "requirement"),
        ("工作内容", "requirement"),
        ("牵头处室", "lead"),
        ("牵头部门", "lead"),
        ("主责单位", "lead"),
        ("责任处室", "responsibility"),
        ("责任部门", "responsibility"),
        ("落实单位", "responsibility"),
        ("责任单位（部门）", "responsibility"),
        ("配合单位", "support"),
        ("配合部门", "support"),
        ("协同单位", "support"),
        ("协助单位", "support"),
        ("完成时限", "time_limit"),
        ("时间节点", "time_limit"),
        ("备注", "remark"),
    ],
)
def test_header_names(header: str, column: str) -> None:
    assert header_role(header) == column


def test_every_in_cell_label_is_a_column_header_of_the_same_role() -> None:
    column = {"lead": "lead", "named": "responsibility", "support": "support"}
    for label, role in labels().items():
        assert field_names()[label] == role
        assert header_role(label) == column[role], label
        roles = parse_responsibility(f"{label}：县司法局")
        assert {"lead": roles.leads, "named": roles.named, "support": roles.supports}[role] == ("县司法局",), label


def test_the_labels_of_a_cell_open_lists_of_their_roles() -> None:
    roles = parse_responsibility("牵头处室：办公室；责任处室：政策法规处；协同单位：信息中心")
    assert (roles.leads, roles.named, roles.supports) == (("办公室",), ("政策法规处",), ("信息中心",))


# --- unit kinds ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("市政府", "office"),  # the table's own government, not a county
        ("市人民政府", "office"),
        ("县政府", "office"),
        ("乙市政府", "county"),
        ("某县人民政府", "county"),
        ("城关镇", "township"),
        ("城关镇人民政府", "township"),
        ("东城街道办事处", "township"),
        ("县政府办公室", "office"),
        ("县司法局", "department"),
        ("经开区管委会", "committee"),
        ("法规科", "section"),
        ("县融媒体中心", "department"),
    ],
)
def test_guess_kind(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


def test_a_roster_s_kinds_come_first() -> None:
    county = [("department", ["局", "办公室"]), ("institution", ["中心", "馆"]), ("township", ["镇", "乡"])]
    assert guess_kind("县融媒体中心", county) == "institution"
    assert guess_kind("县政府办公室", county) == "department"
    assert guess_kind("李村镇", county) == "township"
    assert guess_kind("县政府", county) == "office"
    assert guess_kind("县档案馆", county) == "institution"
    assert guess_kind("县档案馆") == "department"


# --- the table's period -------------------------------------------------------------------------------------


def test_plan_period_by_default_and_as_stated() -> None:
    document = Document(title="某县2025年政务公开重点任务分工", year=2025)
    assert plan_period(document) == (datetime.date(2025, 1, 1), datetime.date(2026, 3, 31))
    stated = document._replace(period_end=datetime.date(2026, 1, 31))
    assert plan_period(stated) == (datetime.date(2025, 1, 1), datetime.date(2026, 1, 31))


# --- the bottom of the house imports nothing above it -------------------------------------------------------


@pytest.mark.parametrize("module", ["vocabulary", "problems"])
def test_bottom_modules_import_nothing_of_ours(module: str) -> None:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    ours = [
        node
        for node in ast.walk(tree)
        if (isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("gongkai_cli")))
        or (isinstance(node, ast.Import) and any(alias.name.startswith("gongkai_cli") for alias in node.names))
    ]
    assert ours == []


# --- problem codes ------------------------------------------------------------------------------------------

CODE = re.compile(r"[a-z]+(-[a-z]+)*")


def test_the_registry() -> None:
    constants = {name: value for name, value in vars(problems).items() if name.isupper() and isinstance(value, str)}
    assert set(constants.values()) == set(problems.MEANINGS)
    assert len(constants) == len(problems.MEANINGS)
    assert all(CODE.fullmatch(code) for code in problems.MEANINGS)
    assert all(meaning and "\n" not in meaning for meaning in problems.MEANINGS.values())


def _whole_progress_code(text: str) -> bool:
    # The "progress-" of an f-string is a piece of a code, not one.
    return text.startswith("progress-") and CODE.fullmatch(text) is not None


def _literal_codes(path: Path) -> list[tuple[int, str]]:
    """Every code a module writes as a string literal: `code="…"`, `Problem(…, "…")`, `p.code == "…"`, the
    argument of a helper whose parameter is named `code` (with the prefix the helper adds), and "progress-…"."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    prefix = re.search(r'code=f"([a-z-]*)\{code\}"', text)
    helper_prefix = prefix.group(1) if prefix else ""
    helpers: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = [a.arg for a in node.args.posonlyargs + node.args.args]
            if "code" in names:
                helpers[node.name] = names.index("code")
    found: list[tuple[int, str]] = []

    def literal(node: ast.AST | None, line: int, prefix: str = "") -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((line, prefix + node.value))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for keyword in node.keywords:
                if keyword.arg == "code":
                    literal(keyword.value, node.lineno)
            if name == "Problem" and len(node.args) >= 5:
                literal(node.args[4], node.lineno)
            if name in helpers and name != "Problem" and len(node.args) > helpers[name]:
                own = helper_prefix if name == "problem" else ""
                literal(node.args[helpers[name]], node.lineno, own)
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "code":
            for comparator in node.comparators:
                literal(comparator, node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _whole_progress_code(node.value):
            literal(node, node.lineno)
    return found


def test_every_code_in_the_source_is_registered() -> None:
    unregistered = [
        f"{path.relative_to(PACKAGE)}:{line}: {code}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, code in _literal_codes(path)
        if CODE.fullmatch(code) and code not in problems.MEANINGS
    ]
    assert unregistered == []


def test_the_literal_finder_sees_codes(tmp_path: Path) -> None:
    # The finder must see the forms the source uses, or the test above would pass on nothing.
    sample = tmp_path / "sample.py"
    sample.write_text(
        'def check(problem, code):\n    problem("x", code=f"progress-{code}")\n'
        'Problem(p, 1, 2, "m", "nope")\nx._replace(code="gone")\nproblem(["a"], "m", "date")\n'
        "def problem(loc, message, code):\n    pass\n",
        encoding="utf-8",
    )
    assert sorted(code for _, code in _literal_codes(sample)) == ["gone", "nope", "progress-date"]


def test_every_registered_code_is_used() -> None:
    source = "\n".join(path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py") if path.name != "problems.py")
    constants = {value: name for name, value in vars(problems).items() if name.isupper() and isinstance(value, str)}
    unused = [
        code
        for code, name in constants.items()
        if f"codes.{name}" not in source
        and not re.search(rf"\b{name}\b", source)
        and f'"{code}"' not in source
        and f'"{code.removeprefix("progress-")}"' not in source
    ]
    assert unused == []


def test_readme_lists_every_code_with_its_meaning() -> None:
    text = README.read_text(encoding="utf-8")
    after = text[text.index("The problem codes are a public contract") :]
    table = after[after.index("| code |") :].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", table, re.M)
    assert rows == list(problems.MEANINGS.items())
