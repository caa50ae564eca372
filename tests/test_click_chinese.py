"""Click's own words in Chinese: errors, help pages and their widths, on a small app built for the test."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

import gongkai_cli
from gongkai_cli.cli.click_chinese import (
    ChineseCommand,
    ChineseGroup,
    ChineseHelpFormatter,
    ExtraArgumentsError,
    LazyCommand,
    NoSuchCommand,
)
from gongkai_cli.linebreak import cell_width

ENGLISH = re.compile(
    r"\b(Usage|Options|Arguments|Commands|Show this message|required|default|env var|Error|Try|Missing"
    r"|No such|Got unexpected|Install completion|Show completion)\b"
)
UNIT_HELP = "列出一个单位承担的全部任务：牵头、负责、全体（经群体）、相关（按职责）。"


class Fmt(str, Enum):
    table = "table"
    json = "json"


def make_app(**context_settings: Any) -> typer.Typer:
    app = typer.Typer(
        name="demo",
        cls=ChineseGroup,
        add_completion=True,
        no_args_is_help=True,
        rich_markup_mode=None,
        help="池州市政务公开重点任务分工查询：各单位承担哪些任务、何时到期。列出任务、截止日期和责任单位，"
        "可按单位、日期和部分筛选。",
        context_settings={"help_option_names": ["-h", "--help"], **context_settings},
    )

    @app.callback()
    def main(
        data: Annotated[
            str,
            typer.Option(
                "--data",
                envvar="DEMO_DATA",
                help="数据目录，含 tasks.yaml 和 units.yaml 两个文件；不给时使用随包附带的数据。",
                metavar="DIR",
            ),
        ] = "data",
    ) -> None:
        """池州市政务公开重点任务分工查询。"""

    @app.command()  # a plain TyperCommand: the group makes it Chinese
    def unit(
        name: Annotated[
            str,
            typer.Argument(
                help="单位或群体：全称、表中写法、简称、片段（司法）或拼音（sifaju、sfj）。", metavar="名称"
            ),
        ],
        before: Annotated[
            str | None,
            typer.Option(
                "--before",
                help="截止日期在此日或之前。写法如 2024-09-30、2024/9/30、2024年9月30日、9月底、年底。",
                metavar="DATE",
            ),
        ] = None,
        fmt: Annotated[Fmt, typer.Option("--format", "-f", help="输出格式：table 或 json。")] = Fmt.table,
        overdue: Annotated[bool, typer.Option("--overdue", help="只列已过截止日期（早于今天）的任务。")] = False,
    ) -> None:
        """列出一个单位承担的全部任务：牵头、负责、全体（经群体）、相关（按职责）。

        每项任务只列一次，列在最强的关系下。县区政府、管委会和群体本身也可查询。

        示例：demo unit 市司法局 ；demo unit 青阳县 --before 2024-09-30
        """
        typer.echo(f"{name} {before} {fmt.value} {overdue}")

    @app.command(cls=ChineseCommand)
    def show(number: Annotated[int, typer.Argument(help="任务编号。", metavar="编号")]) -> None:
        """显示一项任务的全部内容：要求、责任单位、时限及其解读。"""
        typer.echo(str(number))

    @app.command()
    def confirm() -> None:
        """删除前先确认。"""
        raise typer.Abort()

    data_app = typer.Typer(help="数据文件的检查与整理。")

    @data_app.command()
    def check(
        paths: Annotated[
            list[str] | None, typer.Argument(help="数据目录或数据文件，可写多个。", metavar="路径...")
        ] = None,
    ) -> None:
        """检查数据文件：格式、编号、单位、时限、加减分，列出全部问题。"""

    app.add_typer(data_app, name="data")
    return app


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    return make_app()


def _usage_error(usage: str, command: str, message: str) -> str:
    return f"{usage}\n输入 {command} -h 查看用法。\n\n错误：{message}\n"


UNIT_USAGE = "用法：demo unit [选项] 名称"
GROUP_USAGE = "用法：demo [选项] 命令 [参数]..."


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["unit", "x", "--bogus"], _usage_error(UNIT_USAGE, "demo unit", "没有选项 --bogus。")),
        (
            ["unit", "x", "--befre", "2024-05-31"],
            _usage_error(UNIT_USAGE, "demo unit", "没有选项 --befre；可能是：--before、--overdue？"),
        ),
        (["unit"], _usage_error(UNIT_USAGE, "demo unit", "缺少参数“名称”。")),
        (["unit", "a", "b", "c"], _usage_error(UNIT_USAGE, "demo unit", "多余的参数：b c")),
        (["bogus"], _usage_error(GROUP_USAGE, "demo", "没有命令“bogus”。")),
        (["unti"], _usage_error(GROUP_USAGE, "demo", "没有命令“unti”；可能是：unit？")),
        (["unit", "x", "--before"], _usage_error(UNIT_USAGE, "demo unit", "选项 --before 需要一个值。")),
        (["unit", "x", "--overdue=yes"], _usage_error(UNIT_USAGE, "demo unit", "选项 --overdue 不接受值。")),
        (["--data"], _usage_error(GROUP_USAGE, "demo", "选项 --data 需要一个值。")),
        (["--data", "x"], _usage_error(GROUP_USAGE, "demo", "缺少命令。")),
        (
            ["show", "abc"],
            _usage_error("用法：demo show [选项] 编号", "demo show", "参数“编号”的值无效：“abc”不是整数。"),
        ),
        (
            ["unit", "x", "-f", "xml"],
            _usage_error(UNIT_USAGE, "demo unit", "选项 --format / -f 的值无效：“xml”不是可选值之一（table、json）。"),
        ),
        (
            ["data", "nope"],
            _usage_error("用法：demo data [选项] 命令 [参数]...", "demo data", "没有命令“nope”。"),
        ),
    ],
)
def test_usage_errors(app: typer.Typer, args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == expected


def test_abort(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["confirm"])
    assert result.exit_code == 1
    assert result.stderr == "已取消。\n"


def test_no_arguments_show_the_help_on_stderr(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{GROUP_USAGE}\n")
    assert "命令：" in result.stderr


def test_success_is_untouched(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["unit", "市司法局", "--before", "2024-05-31", "-f", "json"])
    assert result.exit_code == 0
    assert result.stdout == "市司法局 2024-05-31 json False\n"


def test_outside_standalone_mode_exceptions_pass_through(app: typer.Typer) -> None:
    from typer._click.exceptions import MissingParameter

    result = CliRunner().invoke(app, ["unit"], standalone_mode=False)
    assert isinstance(result.exception, MissingParameter)
    assert result.stderr == ""
    result = CliRunner().invoke(app, ["bogus"], standalone_mode=False)
    assert isinstance(result.exception, NoSuchCommand)
    assert result.exception.command_name == "bogus"
    result = CliRunner().invoke(app, ["unit", "a", "b"], standalone_mode=False)
    assert isinstance(result.exception, ExtraArgumentsError)
    assert result.exception.extra_args == ["b"]


def test_commands_become_chinese(app: typer.Typer) -> None:
    group = get_command(app)
    assert isinstance(group, ChineseGroup)
    assert type(group.commands["unit"]) is ChineseCommand
    assert type(group.commands["show"]) is ChineseCommand
    data = group.commands["data"]
    assert isinstance(data, ChineseGroup)
    assert type(data.commands["check"]) is ChineseCommand


GROUP_HELP_80 = """\
用法：demo [选项] 命令 [参数]...

  池州市政务公开重点任务分工查询：各单位承担哪些任务、何时到期。列出任务、
  截止日期和责任单位，可按单位、日期和部分筛选。

选项：
  --data DIR            数据目录，含 tasks.yaml 和 units.yaml 两个文件；不给时使
                        用随包附带的数据。（环境变量：DEMO_DATA；默认：data）
  --install-completion  为当前 shell 安装命令补全。
  --show-completion     显示当前 shell 的补全脚本，可复制或自定义。
  -h, --help            显示本帮助并退出。

命令：
  unit     列出一个单位承担的全部任务：牵头、负责、全体（经群体）、相关（按职
           责）。
  show     显示一项任务的全部内容：要求、责任单位、时限及其解读。
  confirm  删除前先确认。
  data     数据文件的检查与整理。
"""

UNIT_HELP_80 = """\
用法：demo unit [选项] 名称

  列出一个单位承担的全部任务：牵头、负责、全体（经群体）、相关（按职责）。

  每项任务只列一次，列在最强的关系下。县区政府、管委会和群体本身也可查询。

  示例：demo unit 市司法局 ；demo unit 青阳县 --before 2024-09-30

参数：
  名称  单位或群体：全称、表中写法、简称、片段（司法）或拼音（sifaju、sfj）。
        （必填）

选项：
  --before DATE              截止日期在此日或之前。写法如 2024-09-30、
                             2024/9/30、2024年9月30日、9月底、年底。
  -f, --format <table|json>  输出格式：table 或 json。（默认：table）
  --overdue                  只列已过截止日期（早于今天）的任务。
  -h, --help                 显示本帮助并退出。
"""


def test_help_pages() -> None:
    app = make_app(terminal_width=80)
    runner = CliRunner()
    result = runner.invoke(app, ["-h"])
    assert result.exit_code == 0
    assert result.stdout == GROUP_HELP_80
    result = runner.invoke(app, ["unit", "--help"])
    assert result.exit_code == 0
    assert result.stdout == UNIT_HELP_80


def _command_paths(command: Any, path: list[str]) -> list[list[str]]:
    paths = [path]
    for name, sub in getattr(command, "commands", {}).items():
        paths += _command_paths(sub, [*path, name])
    return paths


@pytest.mark.parametrize("width", [40, 80, 120])
def test_every_help_page_fits_and_is_chinese(width: int) -> None:
    app = make_app(terminal_width=width)
    runner = CliRunner()
    paths = _command_paths(get_command(app), [])
    assert len(paths) == 6  # the group, unit, show, confirm, data and data check
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        out = result.stdout
        assert out.startswith("用法：demo")
        for line in out.splitlines():
            assert cell_width(line) <= width, (path, line)
            assert line == line.rstrip(), (path, line)
        assert not ENGLISH.search(out), (path, out)


@pytest.mark.parametrize("width", [40, 80, 120])
def test_no_spaces_inserted_into_chinese(width: int) -> None:
    out = CliRunner().invoke(make_app(terminal_width=width), ["unit", "-h"]).stdout
    paragraph = out.split("\n\n")[1]
    assert "".join(line.strip() for line in paragraph.splitlines()) == UNIT_HELP


def test_width_follows_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer._click import formatting

    monkeypatch.setattr(formatting, "FORCED_WIDTH", None)
    monkeypatch.setenv("COLUMNS", "40")
    assert ChineseHelpFormatter().width == 38  # Click would widen it to 50
    monkeypatch.setenv("COLUMNS", "200")
    assert ChineseHelpFormatter().width == 78
    assert ChineseHelpFormatter(max_width=120).width == 118
    assert ChineseHelpFormatter(width=33).width == 33


def test_errors_print_literally() -> None:
    app = typer.Typer(name="demo", cls=ChineseGroup, rich_markup_mode="rich")

    @app.command()
    def one(name: Annotated[str, typer.Argument(metavar="[bold]名称[/bold]")]) -> None:
        """一。"""

    @app.command()
    def two() -> None:
        """二。"""

    result = CliRunner().invoke(app, ["one", "a", "b"])
    assert result.exit_code == 2
    assert result.stderr == (
        "用法：demo one [选项] [bold]名称[/bold]\n输入 demo one --help 查看用法。\n\n错误：多余的参数：b\n"
    )


# Typer's and its vendored Click's private surface the Chinese seam (gongkai_cli/cli/click_chinese/) relies on:
# every name it imports from a module other than `typer` itself. A Typer upgrade that moves one fails here, by name.
PRIVATE_IMPORTS = {
    "typer.core": {"TyperArgument", "TyperCommand", "TyperGroup", "TyperOption"},
    "typer._click.core": {"Command", "Context", "Parameter"},
    "typer._click.exceptions": {
        "BadArgumentUsage",
        "BadOptionUsage",
        "BadParameter",
        "ClickException",
        "FileError",
        "MissingParameter",
        "NoArgsIsHelpError",
        "NoSuchOption",
        "UsageError",
    },
    "typer._click.formatting": {"FORCED_WIDTH", "HelpFormatter"},
    "typer._click.types": {
        "BoolParamType",
        "DateTime",
        "FloatParamType",
        "FloatRange",
        "IntParamType",
        "IntRange",
        "ParamType",
        "UUIDParameterType",
    },
    "typer._click.utils": {"echo"},
    "typer._types": {"TyperChoice"},
    "typer.exceptions": {"Abort", "Exit"},  # Typer 0.28 keeps Abort here, not in typer._click.exceptions
    "typer.models": {"CommandInfo", "TyperPath"},
}
# Private attributes of Typer's classes the seam reads: Typer's default-text helpers, the arguments a group's
# context keeps for its command.
PRIVATE_ATTRIBUTES = {"_extract_default_help_str", "_get_default_string", "_protected_args"}
SEAM = Path(gongkai_cli.__file__).parent / "cli" / "click_chinese"


def _typer_imports(path: Path) -> dict[str, set[str]]:
    """The names a module takes from Typer's submodules: imported by name, or read off an imported module
    (`from typer import core as typer_core` ... `typer_core.TyperOption` counts as typer.core's TyperOption)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    modules: dict[str, str] = {}  # local name -> the Typer submodule it is
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None and node.module.split(".")[0] == "typer":
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if node.module == "typer" and alias.name not in ("core", "models", "exceptions", "main", "_click"):
                    continue  # typer's public API
                if node.module in ("typer", "typer._click"):
                    modules[alias.asname or alias.name] = submodule
                    found.setdefault(submodule, set())
                else:
                    found.setdefault(node.module, set()).add(alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("typer."):
                    found.setdefault(alias.name, set())
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            found[modules[node.value.id]].add(node.attr)
    return found


def _private_attributes(path: Path) -> set[str]:
    """The `_name` attributes a module reads or writes (its own included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
    }


def test_private_symbols_relied_on_exist() -> None:
    import importlib
    import inspect

    for module_name, names in PRIVATE_IMPORTS.items():
        module = importlib.import_module(module_name)
        for name in names:
            assert hasattr(module, name), f"{module_name}.{name}"
    from typer._click import formatting, types
    from typer._click.core import Command, Context, Parameter
    from typer._click.exceptions import (
        BadArgumentUsage,
        BadOptionUsage,
        BadParameter,
        ClickException,
        FileError,
        MissingParameter,
        NoArgsIsHelpError,
        NoSuchOption,
        UsageError,
    )
    from typer._click.formatting import HelpFormatter
    from typer._types import TyperChoice
    from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
    from typer.exceptions import Abort, Exit
    from typer.models import TyperPath

    # The class tree the seam's isinstance checks and mixins assume.
    assert issubclass(MissingParameter, BadParameter)
    assert all(issubclass(e, UsageError) for e in (NoSuchOption, BadOptionUsage, BadArgumentUsage, NoArgsIsHelpError))
    assert issubclass(UsageError, ClickException) and issubclass(FileError, ClickException)
    assert issubclass(TyperCommand, Command) and issubclass(TyperGroup, Command)
    assert issubclass(TyperOption, Parameter) and issubclass(TyperArgument, Parameter)
    assert issubclass(typer.Context, Context)
    assert issubclass(TyperChoice, types.ParamType) and issubclass(TyperPath, types.ParamType)
    assert issubclass(types.IntRange, types.IntParamType) and issubclass(types.FloatRange, types.FloatParamType)
    assert Abort is typer.Abort and Exit is typer.Exit
    # Module state and private helpers, by name and shape.
    assert formatting.FORCED_WIDTH is None or isinstance(formatting.FORCED_WIDTH, int)
    for name in ("write_usage", "write_heading", "write_text", "write_dl", "section", "indentation", "getvalue"):
        assert callable(getattr(HelpFormatter, name))
    for cls in (TyperOption, TyperArgument):
        assert "ctx" in inspect.signature(cls._extract_default_help_str).parameters
        assert {"ctx", "show_default_is_str", "default_value"} <= set(
            inspect.signature(cls._get_default_string).parameters
        )
    assert "_protected_args" in vars(Context(TyperGroup()))
    for attr in ("option_name", "possibilities"):
        assert hasattr(NoSuchOption("--x"), attr)
    for attr in ("param", "param_hint"):
        assert hasattr(BadParameter("x"), attr)
    assert hasattr(FileError("f"), "ui_filename")
    # The methods the seam overrides and calls through super(), with the arguments it passes.
    main = inspect.signature(TyperGroup.main).parameters
    assert list(main)[1:6] == ["args", "prog_name", "complete_var", "standalone_mode", "windows_expand_args"]
    assert list(inspect.signature(Command.make_context).parameters)[1:4] == ["info_name", "args", "parent"]
    for name in (
        "invoke",
        "parse_args",
        "get_help_option",
        "collect_usage_pieces",
        "format_usage",
        "format_help",
        "format_help_text",
        "format_options",
        "get_short_help_str",
        "make_parser",
        "get_params",
    ):
        assert callable(getattr(TyperCommand, name)), name
    for name in ("resolve_command", "format_commands", "add_command", "list_commands", "get_command"):
        assert callable(getattr(TyperGroup, name)), name
    for name in ("get_help_record", "get_usage_pieces", "make_metavar", "resolve_envvar_value"):
        assert callable(getattr(Parameter, name)), name


def test_the_seam_uses_exactly_the_symbols_named_here() -> None:
    found: dict[str, set[str]] = {}
    private: set[str] = set()
    for path in sorted(SEAM.glob("*.py")):
        for module, names in _typer_imports(path).items():
            found.setdefault(module, set()).update(names)
        private |= _private_attributes(path)
    assert found == PRIVATE_IMPORTS
    own = {"_errors_in_chinese", "_check_invocation", "_where", "_function"}  # the seam's classes' own
    assert private - own == PRIVATE_ATTRIBUTES


def test_the_start_up_trick_relies_on_typers_command_list() -> None:
    # cli/app.py keeps only the invoked command in `registered_commands` before Typer builds the group from it,
    # and registers each command as a LazyCommand: Typer sets and reads `callback` on its CommandInfo.
    from typer.models import CommandInfo

    app = typer.Typer()
    app.command("one")(lambda: None)
    assert isinstance(app.registered_commands, list)
    assert [type(c) for c in app.registered_commands] == [CommandInfo]
    assert app.registered_commands[0].name == "one"
    assert (
        "callback" in vars(CommandInfo("two", callback=print)) and CommandInfo("two", callback=print).callback is print
    )


def test_a_lazy_command_is_imported_when_it_is_built() -> None:
    app = typer.Typer(cls=ChineseGroup)
    app.callback()(lambda: None)
    app.registered_commands.append(LazyCommand("width", "gongkai_cli.linebreak", "cell_width"))
    app.registered_commands.append(LazyCommand("never", "gongkai_cli.no_such_module", "nothing"))
    app.registered_commands = [c for c in app.registered_commands if c.name == "width"]
    result = CliRunner().invoke(app, ["width", "市司法局"])
    assert result.exit_code == 0, result.output
    assert app.registered_commands[0].callback is cell_width


def test_a_query_imports_its_own_command_family_only() -> None:
    code = (
        "import sys; from gongkai_cli.cli.app import main; sys.argv = ['gongkai', 'sections', '-f', 'json']\n"
        "try: main()\nexcept SystemExit: pass\n"
        "sys.stderr.write(' '.join(m for m in ('queries', 'tables', 'progress') if 'gongkai_cli.cli.' + m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert out.stderr == "queries"


def test_nothing_outside_the_seam_touches_typer_internals() -> None:
    package = Path(gongkai_cli.__file__).parent
    for path in sorted(package.rglob("*.py")):
        if SEAM in path.parents:
            continue
        assert _typer_imports(path) == {}, path
        assert not re.search(r"typer\.(_\w+|core|models|main)\b", path.read_text(encoding="utf-8")), path


def test_import_is_light() -> None:
    # Beyond what typer and the package already import, only the seam and the line breaker are loaded.
    code = (
        "import sys, typer, gongkai_cli; before = set(sys.modules); "
        "import gongkai_cli.cli.click_chinese; print(' '.join(sorted(set(sys.modules) - before - {'unicodedata'})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    seam = [f"gongkai_cli.cli.click_chinese{m}" for m in ("", ".commands", ".help", ".messages", ".text")]
    assert out.stdout.split() == ["gongkai_cli.cli", *seam, "gongkai_cli.linebreak"]
