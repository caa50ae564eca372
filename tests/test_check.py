"""`gongkai check`: the shipped data is clean; every kind of broken data is reported at its file and line."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA, FULL_FORM
from typer.testing import CliRunner, Result

from gongkai_cli.cli.app import app

# `path:line:col: message`; the column (and the line) are left out where the problem has none.
PROBLEM_LINE = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?(?::(?P<column>\d+))?: (?P<message>.+)$")


@dataclass(frozen=True)
class Reported:
    """One problem line of `check` stdout."""

    path: Path
    line: int | None
    column: int | None
    message: str


def reported(result: Result) -> list[Reported]:
    """The problems `check` printed, parsed; every stdout line must be one."""
    problems = []
    for text in result.stdout.splitlines():
        m = PROBLEM_LINE.match(text)
        assert m, f"not a problem line: {text!r}"
        line = int(m["line"]) if m["line"] else None
        column = int(m["column"]) if m["column"] else None
        problems.append(Reported(Path(m["path"]), line, column, m["message"]))
    return problems


def invoke(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run gongkai; whatever the outcome, it must not crash with a Python exception."""
    result = runner.invoke(app, list(args), env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def flat(text: str) -> str:
    """Text without whitespace: rich wraps long stderr lines at the terminal width."""
    return "".join(text.split())


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a data file; fail loudly if the data no longer contains it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the test needs updating for the data"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, marker: str | None) -> int:
    """The 1-based line where `marker` stands (it must stand exactly once); None: the first non-ASCII line."""
    text = path.read_bytes().decode("utf-8", errors="replace") if marker is None else path.read_text("utf-8")
    if marker is None:
        return next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())
    assert text.count(marker) == 1, f"marker {marker!r} occurs {text.count(marker)} times in {path.name}"
    return text[: text.index(marker)].count("\n") + 1


# --- clean data --------------------------------------------------------------------------------------


def assert_clean(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "✓" in result.stderr
    assert flat("44 项任务") in flat(result.stderr)


def test_check_shipped_data_exits_0(runner: CliRunner) -> None:
    assert_clean(invoke(runner, "check"))


def test_check_with_data_option_exits_0(runner: CliRunner) -> None:
    assert_clean(invoke(runner, "--data", str(DATA), "check"))


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(["."], id="folder"),
        pytest.param(["tasks.yaml"], id="tasks-file"),
        pytest.param(["units.yaml"], id="units-file"),
        pytest.param(["tasks.yaml", "units.yaml"], id="both-files"),
    ],
)
def test_check_with_path_arguments_exits_0(runner: CliRunner, names: list[str]) -> None:
    result = invoke(runner, "check", *(str(DATA / name) for name in names))
    assert_clean(result)
    assert result.stderr.count("✓") == 1, "both files of one folder are one data set"


def test_check_accepts_bom_and_crlf(runner: CliRunner, data_copy: Path) -> None:
    for name in ("tasks.yaml", "units.yaml"):
        path = data_copy / name
        text = path.read_text(encoding="utf-8")
        path.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    assert_clean(invoke(runner, "check", str(data_copy)))


def test_check_crlf_file_reports_the_same_line(runner: CliRunner, data_copy: Path) -> None:
    path = data_copy / "tasks.yaml"
    edit(path, "- number: 44\n", "- number: 4400\n")
    expected = line_of(path, "- number: 4400")
    path.write_bytes(("\ufeff" + path.read_text(encoding="utf-8").replace("\n", "\r\n")).encode("utf-8"))
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    assert [(p.path, p.line) for p in reported(result)] == [(path, expected)]


# --- broken data: one problem each -------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """A small edit of one data file and where and how `check` must report it."""

    file: str
    edits: tuple[tuple[str, str], ...]
    # The reported line is where this text stands in the edited file (None: the first non-ASCII line).
    marker: str | None
    # Phrases the message must contain.
    phrases: tuple[str, ...]
    encoding: str = "utf-8"
    # Break the full-form copy (stored units and time-limit meanings) rather than the lean bundled file.
    full_form: bool = False


T, U = "tasks.yaml", "units.yaml"


BROKEN = {
    # schema: fields, types, values
    "unknown_field": Broken(
        T,
        (("            requirement: 涉及重大公共利益", "            requirment: 涉及重大公共利益"),),
        "requirment:",
        ("未知字段“requirment”",),
    ),
    "missing_required_field": Broken(
        T,
        (("            responsibility: 各县区政府负责落实\n", "            # responsibility removed\n"),),
        "- number: 28\n",
        ("任务需要 responsibility（责任单位）",),
    ),
    "empty_required_string": Broken(T, (("title: 强化学习", 'title: ""'),), 'title: ""', ("“title”不能为空",)),
    "invalid_literal": Broken(U, (("kind: department", "kind: bureau"),), "kind: bureau", ("单位类型“bureau”未定义",)),
    "scalar_for_list": Broken(
        T, (("leads: [市司法局]", "leads: 市司法局"),), "leads: 市司法局", ("“leads”应为列表",), full_form=True
    ),
    # YAML and encoding
    "duplicate_key": Broken(
        U,
        (
            (
                "    full_name: 池州市财政局\n    kind: department\n",
                "    full_name: 池州市财政局\n    kind: department\n    kind: department  # again\n",
            ),
        ),
        "kind: department  # again",
        ("键“kind”重复",),
    ),
    "unquoted_colon_in_text": Broken(
        T, (("title: 强化学习\n", "title: 强化学习: 培训\n"),), "强化学习: 培训", ("文字中含有“: ”", "加上引号")
    ),
    "full_width_colon": Broken(T, (("title: 强化学习\n", "title：强化学习\n"),), "title：强化学习", ("全角冒号",)),
    "no_space_after_colon": Broken(T, (("title: 强化学习\n", "title:强化学习\n"),), "title:强化学习", ("少了空格",)),
    "tab_indentation": Broken(
        T, (("        title: 强化学习\n", "\ttitle: 强化学习\n"),), "\ttitle: 强化学习", ("制表符（Tab）",)
    ),
    "yaml_syntax_error": Broken(
        T, (("title: 强化学习\n", "title: [强化学习\n"),), "title: [强化学习", ("YAML 语法错误",)
    ),
    "not_utf8": Broken(U, (), None, ("UTF-8", "GBK", "iconv"), encoding="gbk"),
    # document and headings
    "document_date_disagrees_with_date_text": Broken(
        T, (("  date: 2024-05-22", "  date: 2024-05-23"),), "date: 2024-05-23", ("date_text“2024年5月22日”不一致",)
    ),
    "wrong_section_numeral": Broken(
        T, (("  - numeral: 五\n", "  - numeral: 伍\n"),), "numeral: 伍", ("序号应为“五”，实为“伍”",)
    ),
    "wrong_subsection_numeral": Broken(
        T,
        (("      - numeral: 二\n        title: 充实队伍", "      - numeral: 三\n        title: 充实队伍"),),
        "numeral: 三\n        title: 充实队伍",
        ("小标题序号应为“二”，实为“三”",),
    ),
    "subsection_without_tasks": Broken(
        T,
        (
            (
                "  - numeral: 十一\n",
                "      - numeral: 三\n        title: 空小标题\n        tasks: []\n  - numeral: 十一\n",
            ),
        ),
        "tasks: []",
        ("tasks 至少需要一项任务",),
    ),
    # task numbers
    "duplicate_task_number": Broken(
        T,
        (("- number: 30\n", "- number: 29\n"),),
        "- number: 29\n            requirement: 继续推进基层",
        ("任务编号 29 重复",),
    ),
    "task_number_jump": Broken(T, (("- number: 44\n", "- number: 4400\n"),), "- number: 4400", ("相差过大",)),
    "task_out_of_order": Broken(
        T,
        (
            ("- number: 8\n", "- number: 9\n"),
            ("- number: 9\n            requirement: 提升", "- number: 8\n            requirement: 提升"),
        ),
        "- number: 8\n            requirement: 提升",
        ("任务编号 8 不按顺序",),
    ),
    # units in tasks
    "unknown_unit_in_implementers": Broken(
        T,
        (("implementers: [市发展改革委, 市财政局", "implementers: [市发展改革委, 市财政厅"),),
        "市财政厅",
        ("“市财政厅”不在 units.yaml 中", "是否指：市财政局"),
        full_form=True,
    ),
    "variant_name_in_leads": Broken(
        T,
        (("leads: [市政府办公室]", "leads: [市教育局]"),),
        "leads: [市教育局]",
        ("“市教育局”是“市教体局”的另一写法", "请写 units.yaml 中的名称“市教体局”"),
        full_form=True,
    ),
    "variant_name_in_implementers": Broken(
        T,
        (("implementers: [市教体局, 市卫健委", "implementers: [市教育局, 市卫健委"),),
        "implementers: [市教育局",
        ("请写 units.yaml 中的名称“市教体局”",),
        full_form=True,
    ),
    "unknown_unit_in_responsibility_text": Broken(
        T,
        (("responsibility: 市政务公开办，各县区政府", "responsibility: 市政务公开办、市财政厅，各县区政府"),),
        "市财政厅",
        ("责任单位文字中的“市财政厅”不是 units.yaml 中的名称或写法", "是否指：市财政局"),
    ),
    "structured_unit_missing_from_text": Broken(
        T,
        (
            (
                "implementers: [市政务公开办, 各县区政府, 管委会]",
                "implementers: [市政务公开办, 各县区政府, 管委会, 市财政局]",
            ),
        ),
        "管委会, 市财政局]",
        ("implementers 中的“市财政局”未出现在责任单位文字中",),
        full_form=True,
    ),
    "text_unit_missing_from_structured_lists": Broken(
        T,
        (
            (
                "[市政务公开办, 市发展改革委, 市自然资源和规划局, 市住房城乡建设局,",
                "[市政务公开办, 市发展改革委, 市住房城乡建设局,",
            ),
        ),
        "[市政务公开办, 市发展改革委, 市住房城乡建设局,",
        ("责任单位文字写明“市自然资源和规划局”为负责落实单位，implementers 中缺少它",),
        full_form=True,
    ),
    "lead_stored_as_implementer": Broken(
        T,
        (("leads: [市司法局]\n            implementers: [", "leads: []\n            implementers: [市司法局, "),),
        "implementers: [市司法局, ",
        ("implementers 中的“市司法局”在责任单位文字中属于另一类",),
        full_form=True,
    ),
    "implementers_out_of_text_order": Broken(
        T,
        (("implementers: [市政务公开办, 各县区政府, 管委会]", "implementers: [各县区政府, 市政务公开办, 管委会]"),),
        "[各县区政府, 市政务公开办, 管委会]",
        ("implementers 应与责任单位文字同序",),
        full_form=True,
    ),
    # time limits
    "due_disagrees_with_text": Broken(
        T,
        (("due: 2024-08-31", "due: 2024-09-30  # was 08-31"),),
        "text: 8月底前",
        ("时限“8月底前”读作截止日期 2024-08-31，与存储的截止日期 2024-09-30不一致",),
        full_form=True,
    ),
    "misprint_without_override": Broken(
        T,
        (("              override: true\n", "              # override removed\n"),),
        "text: 9底前",
        (
            "无法识别的时限“9底前”",
            "time_limit: {text, kind, due, override, note}",
            "override: true",
            "docs/录入指南.md",
        ),
    ),
    "override_without_note": Broken(
        T,
        (("              note: 原文作", "              # note: 原文作"),),
        "override: true\n              # note: 原文作",
        ("写了 override: true，还需在 note 中写明为何不按文字理解（见 docs/录入指南.md）。",),
    ),
    "needless_override": Broken(
        T,
        (
            (
                "due: 2024-08-31\n",
                "due: 2024-08-31\n              override: true\n              note: 按文字理解即可。\n",
            ),
        ),
        "override: true\n              note: 按文字理解即可",
        ("此处无需 override: true（时限文字本身就读作所填的 kind/due），请删除。",),
        full_form=True,
    ),
    "deadline_without_due": Broken(
        T,
        (
            (
                "              kind: deadline\n              due: 2024-08-31\n",
                "              kind: deadline  # due removed\n",
            ),
        ),
        "kind: deadline  # due removed",
        ("kind 为 deadline 时需要写 due",),
        full_form=True,
    ),
    "ongoing_with_due": Broken(
        T,
        (("      kind: ongoing\n", "      kind: ongoing\n              due: 2024-09-30  # added\n"),),
        "due: 2024-09-30  # added",
        ("kind 为 ongoing 时不应写 due",),
        full_form=True,
    ),
    # scoring
    "scoring_condition_not_quoted": Broken(
        T,
        (("condition: 年报编写有明显错误的", "condition: 年报编写有错误的"),),
        "condition: 年报编写有错误的",
        ("condition 应逐字引自本任务的具体要求",),
    ),
    "scoring_points_wrong_sign": Broken(
        T,
        (("points: -3", "points: 3"),),
        "- points: 3\n                condition: 年报编写",
        ("points 3 的正负与条件不符",),
    ),
    "scoring_points_not_in_condition": Broken(
        T,
        (("points: -3", "points: -2"),),
        "points: -2\n                condition: 年报编写",
        ("条件中没有“2分”",),
    ),
    "scoring_who_not_in_condition": Broken(
        T, (("who: 县区", "who: 乡镇"),), "who: 乡镇", ("条件中没有“乡镇”，请核对 who",)
    ),
    # units.yaml
    "group_member_not_a_unit": Broken(
        U,
        (("青阳县政府]", "青阳区政府]"),),
        "青阳区政府",
        ("成员“青阳区政府”不是 units 中的单位", "是否指：青阳县政府"),
    ),
    "alias_names_another_unit": Broken(
        U,
        (("aliases: [司法局]", "aliases: [司法局, 市财政局]"),),
        "[司法局, 市财政局]",
        ("名称“市财政局”已用于“市财政局”",),
    ),
    "group_with_members_and_member_kinds": Broken(
        U,
        (("  - name: 市政府各部门\n", "  - name: 市政府各部门  # both\n    members: [市财政局]\n"),),
        "name: 市政府各部门  # both",
        ("需写 members 或 member_kinds 之一",),
    ),
}


def break_data(data_dir: Path, case: Broken) -> tuple[Path, int]:
    """Apply a case to a data copy; the broken file and the line the problem must be reported on."""
    path = data_dir / case.file
    if case.full_form:
        shutil.copy(FULL_FORM, data_dir / T)
    for old, new in case.edits:
        edit(path, old, new)
    if case.encoding != "utf-8":
        path.write_bytes(path.read_text(encoding="utf-8").encode(case.encoding))
    return path, line_of(path, case.marker)


@pytest.mark.parametrize("case", [pytest.param(case, id=name) for name, case in BROKEN.items()])
def test_check_broken_data_reports_file_line_and_message(runner: CliRunner, data_copy: Path, case: Broken) -> None:
    path, line = break_data(data_copy, case)
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    matching = [p for p in reported(result) if all(phrase in p.message for phrase in case.phrases)]
    assert [(p.path, p.line) for p in matching] == [(path, line)], result.stdout


@pytest.mark.parametrize("case", [pytest.param(case, id=name) for name, case in BROKEN.items()])
def test_check_broken_data_summary_counts_the_problems(runner: CliRunner, data_copy: Path, case: Broken) -> None:
    break_data(data_copy, case)
    result = invoke(runner, "check", str(data_copy))
    assert flat(f"发现 {len(reported(result))} 个问题") in flat(result.stderr)


def test_check_typo_in_a_subsections_only_task_reports_only_the_typo(runner: CliRunner, full_form_copy: Path) -> None:
    # pydantic also calls a tuple "too short" when its only item is invalid; check must not pass that on.
    data_copy = full_form_copy
    edit(data_copy / T, "            leads: [市司法局, 市政务公开办]", "            lead: [市司法局, 市政务公开办]")
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    assert [p for p in reported(result) if "至少需要一项" in p.message] == []


# --- known bugs --------------------------------------------------------------------------------------


def test_check_impossible_calendar_date_is_reported_not_raised(runner: CliRunner, full_form_copy: Path) -> None:
    data_copy = full_form_copy
    path = data_copy / T
    edit(path, "due: 2024-08-31", "due: 2024-02-30")
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    assert [(p.path, p.line) for p in reported(result)] == [(path, line_of(path, "due: 2024-02-30"))]


def test_check_alias_naming_a_later_unit_is_reported_at_the_alias(runner: CliRunner, data_copy: Path) -> None:
    path = data_copy / U
    edit(path, "aliases: [财政局]", "aliases: [财政局, 市司法局]")
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    assert [(p.path, p.line) for p in reported(result)] == [(path, line_of(path, "[财政局, 市司法局]"))]


def test_check_task_number_typo_gives_a_short_message(runner: CliRunner, data_copy: Path) -> None:
    edit(data_copy / T, "- number: 44\n", "- number: 4400\n")
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    assert max(len(p.message) for p in reported(result)) < 200


def test_check_two_units_with_one_name_are_reported(runner: CliRunner, data_copy: Path) -> None:
    path = data_copy / U
    edit(path, "groups:\n", "  - name: 市司法局\n    kind: county\ngroups:\n")
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    problems = reported(result)
    assert [(p.path, p.line) for p in problems] == [(path, line_of(path, "  - name: 市司法局\n    kind: county"))]
    assert "已用于“市司法局”" in problems[0].message


def test_check_accepts_yaml_merge_keys(runner: CliRunner, data_copy: Path) -> None:
    path = data_copy / U
    edit(
        path,
        "  - name: 市财政局\n    full_name: 池州市财政局\n    kind: department\n",
        "  - name: 市财政局\n    full_name: 池州市财政局\n    <<: &department {kind: department}\n",
    )
    assert_clean(invoke(runner, "check", str(data_copy)))


@pytest.mark.parametrize(
    ("tasks_edit", "units_edit"),
    [
        pytest.param(
            ("\n  - numeral: 五", "\n\t- numeral: 五"), ("kind: department", "kind: town"), id="syntax+schema"
        ),
        pytest.param(("- number: 7\n", "- number: x\n"), ("青阳县政府]", "青阳区政府]"), id="schema+member"),
        pytest.param(None, ("kind: department", "kind: town"), id="missing+schema"),
    ],
)
def test_check_a_problem_in_one_file_does_not_hide_the_others(
    runner: CliRunner, data_copy: Path, tasks_edit: tuple[str, str] | None, units_edit: tuple[str, str]
) -> None:
    if tasks_edit is None:
        (data_copy / T).unlink()
    else:
        edit(data_copy / T, *tasks_edit)
    edit(data_copy / U, *units_edit)
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    assert {p.path.name for p in reported(result)} == {T, U}


# --- several problems, output formats ----------------------------------------------------------------


def test_check_reports_every_problem_in_both_files(runner: CliRunner, data_copy: Path) -> None:
    edit(data_copy / T, "- number: 44\n", "- number: 4400\n")
    edit(data_copy / T, "  - numeral: 五\n", "  - numeral: 伍\n")
    edit(data_copy / T, "time_limit: 8月底前", "time_limit: 8底前")
    edit(data_copy / U, "青阳县政府]", "青阳区政府]")
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    problems = reported(result)
    assert len(problems) == 4, result.stdout
    assert {p.path.name for p in problems} == {T, U}
    assert flat("发现 4 个问题（涉及 2 个文件）") in flat(result.stderr)


def test_check_github_format_is_one_annotation_per_problem(runner: CliRunner, data_copy: Path) -> None:
    path = data_copy / T
    edit(path, "- number: 44\n", "- number: 4400\n")
    edit(path, "  - numeral: 五\n", "  - numeral: 伍\n")
    text = invoke(runner, "check", str(data_copy))
    github = invoke(runner, "check", str(data_copy), "--format", "github")
    assert github.exit_code == 1, github.output
    expected = "".join(
        f"::error file={p.path},line={p.line},col={p.column},title=gongkai check::{p.message}\n" for p in reported(text)
    )
    assert github.stdout == expected
    number_line = line_of(path, "- number: 4400")
    number_column = path.read_text(encoding="utf-8").splitlines()[number_line - 1].index("4400") + 1
    assert f"::error file={path},line={number_line},col={number_column},title=gongkai check::" in github.stdout


def test_check_github_format_escapes_the_file_property(runner: CliRunner, tmp_path: Path) -> None:
    data_dir = tmp_path / "a,b:c"
    shutil.copytree(DATA, data_dir)
    edit(data_dir / T, "- number: 44\n", "- number: 4400\n")
    result = invoke(runner, "check", str(data_dir), "--format", "github")
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(f"::error file={tmp_path}/a%2Cb%3Ac/tasks.yaml,line=")


def test_check_github_format_on_clean_data_prints_nothing(runner: CliRunner) -> None:
    result = invoke(runner, "check", "--format", "github")
    assert_clean(result)


def test_check_uses_gongkai_data_environment_variable(runner: CliRunner, data_copy: Path) -> None:
    edit(data_copy / T, "- number: 44\n", "- number: 4400\n")
    result = invoke(runner, "check", env={"GONGKAI_DATA": str(data_copy)})
    assert result.exit_code == 1, result.output
    assert [p.path for p in reported(result)] == [data_copy / T]


def test_check_missing_data_file_is_reported(runner: CliRunner, data_copy: Path) -> None:
    (data_copy / U).unlink()
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    assert [p.path for p in reported(result)] == [data_copy / U]


def test_data_option_naming_a_folder_without_roster_is_a_usage_error(runner: CliRunner, data_copy: Path) -> None:
    (data_copy / U).unlink()
    result = invoke(runner, "--data", str(data_copy), "check")
    assert result.exit_code == 2, result.output
    assert f"--data 指定的目录不是数据目录：{data_copy}" in result.stderr


def test_check_empty_data_file_is_reported(runner: CliRunner, data_copy: Path) -> None:
    (data_copy / U).write_text("", encoding="utf-8")
    result = invoke(runner, "check", str(data_copy))
    assert result.exit_code == 1, result.output
    assert [(p.path, p.line) for p in reported(result)] == [(data_copy / U, None)]


# --- usage errors ------------------------------------------------------------------------------------


def test_check_nonexistent_path_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = invoke(runner, "check", str(missing))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert flat(result.stderr) == flat(f"错误：{missing} 不存在，请核对路径。")


def test_check_non_data_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "notes.yaml"
    other.write_text("a: 1\n", encoding="utf-8")
    result = invoke(runner, "check", str(other))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert flat(result.stderr) == flat(f"错误：{other} 不是 gongkai 数据文件，请写数据目录或 tasks.yaml、units.yaml。")


def test_check_unknown_format_exits_2(runner: CliRunner) -> None:
    result = invoke(runner, "check", "--format", "xml")
    assert result.exit_code == 2, result.output
    assert "--format" in result.stderr


def test_full_form_still_loads_and_check_says_what_can_be_removed(runner: CliRunner, full_form_copy: Path) -> None:
    result = invoke(runner, "check", str(full_form_copy))
    assert result.exit_code == 0, result.output
    reminders = [line for line in result.stderr.splitlines() if line.startswith("提醒：")]
    assert len(reminders) == 44 + 44 + 43  # leads and implementers of every task, time limits but 17's misprint
    assert any("leads 与责任单位文字读出的相同，可以删除" in line for line in reminders)
    assert any("kind 与日期与时限文字读出的相同，可以删除，只留 text" in line for line in reminders)
    assert invoke(runner, "check", "--strict", str(full_form_copy)).exit_code == 1
