"""Crashes and hidden answers: arguments that are not UTF-8, a diff that would take minutes, a failing pager,
Ctrl-C, errors named for what they are, and a source file name that would write YAML.

The cases that run the console script do so in a child process under the limits tests/test_hostile.py sets.
The property tests at the end run `report`, `init` and `import` in-process on arbitrary text arguments.
"""

from __future__ import annotations

import io
import os
import pty
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from conftest import DATA, EXAMPLES_PER_COMMAND
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from test_hostile import TIMEOUT, _limited, child_env, command, copy_data, edit, expect, gongkai
from typer.testing import CliRunner

from gongkai_cli.cli.app import app
from gongkai_cli.cli.errors import EXIT_CANCELLED
from gongkai_cli.cli.pager import pager, pager_command
from gongkai_cli.diff.wording import Segment, markup, wording_diff

NOT_UTF8 = "含有不是 UTF-8 编码的字节"
REPORT = ("report", "1", "-u", "市政府办公室", "-s", "已完成", "--today", "2024-06-30")


# --- 8. arguments that are not UTF-8 ----------------------------------------------------------------------


def files_in(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize("option", ["--note", "--by", "--evidence", "--period", "--date"])
def test_report_text_that_is_not_utf8_is_a_usage_error(tmp_path: Path, data_copy: Path, option: str) -> None:
    before = files_in(data_copy)
    ran = gongkai(tmp_path, "--data", str(data_copy), *REPORT, option, b"\xff\xfe")
    expect(ran, 2, f"选项 {option} 的值无效", NOT_UTF8)
    assert files_in(data_copy) == before


def test_init_title_that_is_not_utf8_is_a_usage_error_and_makes_no_folder(tmp_path: Path) -> None:
    ran = gongkai(tmp_path, "init", "2026", "--title", b"\xff\xfe")
    expect(ran, 2, "选项 --title 的值无效", NOT_UTF8)
    assert not (tmp_path / "2026").exists()


def test_unit_name_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    expect(gongkai(tmp_path, "--data", str(DATA), "unit", b"\xff"), 2, "参数“单位”的值无效", NOT_UTF8)


def test_folder_name_that_is_not_utf8_still_works_where_a_path_is_meant(tmp_path: Path) -> None:
    odd = os.fsencode(tmp_path) + b"/\xff-2026"
    expect(gongkai(tmp_path, "init", odd), 0)
    assert Path(os.fsdecode(odd), "tasks.yaml").is_file()


def test_diff_tilde_of_no_such_user_is_a_usage_error(tmp_path: Path) -> None:
    ran = gongkai(tmp_path, "--data", str(DATA), "diff", "~nosuchuser", "HEAD")
    expect(ran, 2, "错误：找不到“~nosuchuser”：它不是目录、不是本数据目录中的表，也不是 git 提交（如 HEAD~1）。")


# --- 10. the wording diff is bounded ----------------------------------------------------------------------

ALPHABET = "政务公开重点任务分工单位推进落实强化细分领域建设"


def long_text(seed: int, length: int = 40_000) -> str:
    """A requirement of `length` characters with no clause punctuation: one clause, the worst case by clause."""
    chooser = random.Random(seed)
    return "".join(chooser.choice(ALPHABET) for _ in range(length))


@contextmanager
def at_most(seconds: float) -> Iterator[None]:
    """Fail with TimeoutError when the block runs longer than `seconds`, rather than for minutes."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TimeoutError:
        pytest.fail(f"took more than {seconds} s", pytrace=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_two_long_requirements_diff_in_well_under_a_second() -> None:
    old, new = long_text(1), long_text(2)
    start = time.perf_counter()
    with at_most(1.0):
        segments = wording_diff(old, new)
        shown = markup(segments)
    assert time.perf_counter() - start < 0.5
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    assert shown == "〔整段改写，过长未逐字比较：原 40000 字，现 40000 字〕"


def test_a_small_edit_in_a_long_requirement_is_found_exactly() -> None:
    old = long_text(1)
    new = old[:20_000] + "新增" + old[20_001:]
    with at_most(1.0):
        segments = wording_diff(old, new)
    assert segments == (
        Segment("equal", old[:20_000]),
        Segment("delete", old[20_000]),
        Segment("insert", "新增"),
        Segment("equal", old[20_001:]),
    )
    assert markup(segments) == f"…{old[19_992:20_000]}[-{old[20_000]}-]{{+新增+}}{old[20_001:20_009]}…"


def test_many_tiny_clauses_diff_quickly() -> None:
    with at_most(1.0):
        segments = wording_diff("，" * 40_000, "，" * 39_999 + "。")
    assert markup(segments) == "…，，，，，，，，[-，-]{+。+}"


def test_diff_of_tables_with_long_requirements_is_quick(tmp_path: Path) -> None:
    first = "            requirement: 认真贯彻落实省委"
    old, new = copy_data(tmp_path / "old"), copy_data(tmp_path / "new")
    edit(old / "tasks.yaml", first, f"            requirement: {long_text(1)}认真贯彻落实省委")
    edit(new / "tasks.yaml", first, f"            requirement: {long_text(2)}认真贯彻落实省委")
    expect(gongkai(tmp_path, "check", str(old)), 0)
    ran = gongkai(tmp_path, "diff", str(old), str(new), "-f", "md")
    expect(ran, 0, "- 第1项：具体要求：〔整段改写，过长未逐字比较：原 40000 字，现 40000 字〕")


# --- 11. a failing pager never hides the answer -----------------------------------------------------------

TEXT = "".join(f"第{n}行 市司法局\n" for n in range(20_000))  # more than a pipe holds


class Terminal(io.StringIO):
    """A stream that says it is a terminal, so that the pager is used."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """stdin and stdout on a terminal; what is printed directly, rather than through the pager, is kept.

    Called in the test itself: the capture fixtures set sys.stdout again once a test starts.
    """
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setattr(sys, "stdin", Terminal())
    return screen


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def page_through(monkeypatch: pytest.MonkeyPatch, value: str) -> str:
    """Page TEXT through the pager `value` names, on a terminal; what was printed directly."""
    screen = terminal(monkeypatch)
    monkeypatch.setenv("GONGKAI_PAGER", value)
    page = pager()
    assert page is not None
    page(TEXT)
    return screen.getvalue()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("false", "出错退出（退出码 1）"),
        ("no-such-pager-anywhere -R", "无法启动（不存在）"),
        ("LESS=R no-such-pager-anywhere", "无法启动（退出码 127）"),  # through the shell
    ],
)
def test_pager_that_fails_or_cannot_start_leaves_the_answer_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str, reason: str
) -> None:
    printed = page_through(monkeypatch, value)
    assert printed == TEXT
    assert f"提示：分页器“{value}”{reason}，直接显示结果。" in capsys.readouterr().err


def test_pager_script_failing_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = page_through(monkeypatch, str(script(tmp_path / "pager", "exit 3")))
    assert printed == TEXT
    assert "退出码 3" in capsys.readouterr().err


def test_pager_runs_without_a_shell_and_reads_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = tmp_path / "shown"
    reader = script(tmp_path / "pager", 'cat > "$1"')
    printed = page_through(monkeypatch, f"{reader} {shown}")
    assert shown.read_text(encoding="utf-8") == TEXT
    assert printed == ""
    assert capsys.readouterr().err == ""


def test_pager_quit_early_is_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = tmp_path / "shown"
    reader = script(tmp_path / "pager", 'head -c 16 > "$1"')
    printed = page_through(monkeypatch, f"{reader} {shown}")
    assert shown.read_bytes() == TEXT.encode()[:16]
    assert printed == ""
    assert capsys.readouterr().err == ""


def test_pager_value_needing_a_shell_goes_through_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = tmp_path / "shown"
    printed = page_through(monkeypatch, f"cat > {shown}; exit 0")
    assert shown.read_text(encoding="utf-8") == TEXT
    assert printed == ""


def test_pager_command_words() -> None:
    assert pager_command("less -R") == ["less", "-R"]
    assert pager_command("  most  ") == ["most"]
    for needs_a_shell in ("LESS=R less", "less | tee x", "$PAGER", "'my pager'", "less; rm x", "less ~/x"):
        assert pager_command(needs_a_shell) == needs_a_shell


def on_a_terminal(cwd: Path, *args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run gongkai with stdin and stdout on a pseudo-terminal: what the terminal showed, and stderr."""
    controller, terminal = pty.openpty()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            command(*args), cwd=cwd, env=env, stdin=terminal, stdout=terminal, stderr=errors, preexec_fn=_limited(None)
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            shown += chunk
        os.close(controller)
        code = proc.wait(timeout=TIMEOUT)
        errors.seek(0)
        return code, shown.decode("utf-8", "replace"), errors.read().decode("utf-8", "replace")


@pytest.mark.parametrize("value", ["false", "no-such-pager-anywhere"])
def test_long_table_on_a_terminal_is_shown_when_the_pager_fails(tmp_path: Path, value: str) -> None:
    env = child_env(tmp_path, GONGKAI_PAGER=value, LINES="10")
    code, shown, errors = on_a_terminal(tmp_path, "--data", str(DATA), "unit", "市司法局", env=env)
    assert code == 0, errors
    assert "Traceback" not in shown + errors
    assert "市司法局" in shown and shown.count("│") > 30
    assert f"提示：分页器“{value}”" in errors


# --- 13. Ctrl-C, errors named for what they are, a repository of another user --------------------------------


def test_ctrl_c_says_cancelled_and_exits_130(tmp_path: Path, data_copy: Path) -> None:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    started = tmp_path / "git-started"
    script(bin_folder / "git", f': > "{started}"\nexec sleep 30')
    env = child_env(tmp_path, PATH=f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.Popen(
        command("--data", str(data_copy), "diff", "HEAD~1:", "HEAD:"),
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limited(None),
    )
    deadline = time.monotonic() + TIMEOUT
    while not started.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert EXIT_CANCELLED == 130
    assert proc.returncode == EXIT_CANCELLED, err.decode()
    assert err.decode() == "已取消。\n"
    assert out == b""


def test_a_file_that_cannot_be_reached_is_not_called_output(tmp_path: Path) -> None:
    source = tmp_path / "表.txt"
    source.write_text("序号\t具体要求\t责任单位\t时限\n1\t做好公开\t市司法局\t年底前\n", encoding="utf-8")
    ran = gongkai(tmp_path, "import", str(source), "--out", "/proc/self/nowhere", "--year", "2026")
    assert ran.code in (1, 2), ran.output
    assert "Traceback" not in ran.output
    assert "无法写出结果" not in ran.output
    assert "/proc/self/" in ran.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="giving the repository to another user needs root")
def test_repository_of_another_user_says_so_and_how_to_trust_it(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    copy_data(repo / "data")
    env = child_env(tmp_path, HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "表"]):
        subprocess.run(
            ["git", "-c", "user.name=测试", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
            cwd=repo,
            env=env,
            check=True,
            capture_output=True,
        )
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)
    ran = gongkai(repo, "--data", str(repo / "data"), "diff", "HEAD:", "HEAD:", env=env)
    expect(ran, 2, "git 仓库属于另一个用户", f"git config --global --add safe.directory {repo}")
    assert "不在 git 仓库中" not in ran.stderr


# --- 14. a source file name cannot write YAML ---------------------------------------------------------------


def test_source_name_with_a_line_feed_stays_in_the_comment(tmp_path: Path) -> None:
    source = tmp_path / "表\nevil: 1.txt"
    source.write_text("序号\t具体要求\t责任单位\t时限\n1\t做好公开\t市司法局\t年底前\n", encoding="utf-8")
    ran = gongkai(tmp_path, "import", str(source), "--out", "out", "--year", "2026")
    assert ran.code in (0, 1), ran.output
    tasks = (tmp_path / "out" / "tasks.yaml").read_text(encoding="utf-8")
    assert "evil" not in yaml.safe_load(tasks)
    assert tasks.splitlines()[1].endswith("从“表\\x0aevil: 1.txt”导入。")  # after the schema line
    expect(gongkai(tmp_path, "check", "out"), 0)


# --- properties: report, init and import never crash on arbitrary text ----------------------------------
# Each example starts from arguments that work and puts arbitrary text in one place (or adds it as an option).

# What a command line can hold: no NUL and no surrogates except \udc80-\udcff, the bytes that are not UTF-8.
free_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12),
    st.lists(st.sampled_from(["市", "a", "-", ":", "#", "\n", "\udcff", "\udc80", "\x1b", "'", '"']), max_size=6).map(
        "".join
    ),
)
SOURCE = "序号\t具体要求\t责任单位\t时限\n1\t做好公开\t市司法局\t年底前\n"


def common(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def invoke(args: list[str]) -> int:
    """Run gongkai in-process: it may fail, but only with an exit code of 0, 1 or 2 and never a traceback."""
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, (args, result.output)
    event(f"exit {result.exit_code}")
    return result.exit_code


def line(command: str, arguments: dict[str, str], where: str, text: str) -> list[str]:
    """`command` with `arguments` (a key starting with - is an option), the one at `where` replaced by `text`."""
    given_arguments = {**arguments, where: text}
    words = [command] + [value for key, value in given_arguments.items() if not key.startswith("-")]
    return words + [part for key, value in given_arguments.items() if key.startswith("-") for part in (key, value)]


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A folder with a writable data copy and an import source; every path the properties write lands in it."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(DATA, root / "data")
        (root / "表.txt").write_text(SOURCE, encoding="utf-8")
        yield root


def inside(scratch: Path, text: str) -> str:
    """A path below the scratch folder, whatever the text: no separators, so no way out."""
    return str(scratch / "t" / (text.replace("/", "_").replace("\\", "_") or "_"))


REPORT_ARGUMENTS = {
    "task": "17",
    "--unit": "市司法局",
    "--status": "已完成",
    "--date": "2024-06-01",
    "--note": "已印发实施办法",
    "--by": "张三",
    "--today": "2024-06-30",
}


@common(EXAMPLES_PER_COMMAND)
@given(where=st.sampled_from([*REPORT_ARGUMENTS, "--evidence", "--period"]), text=free_text)
@example(where="--note", text="\udcff")
@example(where="--evidence", text="佐证/\udcff.pdf")
def test_report_never_crashes_on_arbitrary_text(scratch: Path, where: str, text: str) -> None:
    invoke(["--data", str(scratch / "data"), *line("report", REPORT_ARGUMENTS, where, text)])


@common(EXAMPLES_PER_COMMAND)
@given(where=st.sampled_from(["folder", "--title", "--year"]), text=free_text)
@example(where="--title", text="\udcff")
@example(where="--title", text="C#语言 2026 # 草稿\nkey: [x")
def test_init_never_crashes_on_arbitrary_text(scratch: Path, where: str, text: str) -> None:
    arguments = {"folder": inside(scratch, "2026"), "--title": "某市2026年政务公开重点任务分工", "--year": "2026"}
    invoke([*line("init", arguments, where, inside(scratch, text) if where == "folder" else text), "--force"])


@common(EXAMPLES_PER_COMMAND)
@given(where=st.sampled_from(["source", "--out", "--year", "--roster"]), text=free_text)
@example(where="--year", text="\udcff")
def test_import_never_crashes_on_arbitrary_text(scratch: Path, where: str, text: str) -> None:
    arguments = {
        "source": str(scratch / "表.txt"),
        "--out": inside(scratch, "导入"),
        "--year": "2026",
        "--roster": str(scratch / "data" / "units.yaml"),
    }
    invoke([*line("import", arguments, where, inside(scratch, text) if where == "--out" else text), "--force"])
