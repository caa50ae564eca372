"""Read the data files: YAML with line numbers -> validated models, every problem located."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .bounded import FileRefusedError, read_file
from .errors import DataError, Problem
from .models import Division, TaskFile, UnitFile
from .safetext import describe, unsafe_pattern
from .tuples import NamedTuple

if TYPE_CHECKING:
    import yaml

    from .workspace import Table

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"
DATA_FILES = (TASKS_FILE, UNITS_FILE)

Model = TypeVar("Model", TaskFile, UnitFile)


def bundled_data_dir() -> Path:
    """The data shipped with the package (the repository's data/ when run from a checkout)."""
    # Path(__file__) rather than importlib.resources: the package is always installed as plain files, and
    # importing importlib.resources costs every query a few milliseconds.
    packaged = Path(__file__).parent / "data"
    if (packaged / TASKS_FILE).is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


class Source(NamedTuple):
    """One parsed YAML file: its Python data and the node tree that knows where each value stands."""

    path: Path
    data: Any
    root: yaml.Node | None

    def locate(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int | None, int | None]:
        """The 1-based line and column of the value at `loc` (of its key with key=True), or its nearest parent."""
        import yaml

        node = self.root
        if node is None:
            return None, None
        mark = node.start_mark
        for step in loc:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        child, mark = value_node, (key_node.start_mark if key else value_node.start_mark)
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                child = node.value[step]
                mark = child.start_mark
            if child is None:
                break
            node = child
        return mark.line + 1, mark.column + 1

    def problem(self, loc: Sequence[str | int], message: str, *, key: bool = False) -> Problem:
        """A problem located at `loc` in this file."""
        line, column = self.locate(loc, key=key)
        return Problem(self.path, line, column, message)


def _loader_class() -> type[Any]:
    import yaml

    # The C loader parses several times faster; the pure-Python one is the fallback where libyaml is missing.
    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class DuplicateKeyLoader(base):  # type: ignore[valid-type,misc]
        """Safe loader that records repeated mapping keys; PyYAML would silently keep the last one."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicates: list[tuple[object, yaml.Mark, yaml.Mark]] = []

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            first_seen: dict[object, yaml.Mark] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # "<<: *anchor" merges another mapping; the base class resolves it
                key = self.construct_object(key_node, deep=deep)
                try:
                    earlier = first_seen.setdefault(key, key_node.start_mark)
                except TypeError:  # an unhashable key; the base class reports it
                    continue
                if earlier is not key_node.start_mark:
                    self.duplicates.append((key, key_node.start_mark, earlier))
            return super().construct_mapping(node, deep)  # type: ignore[no-any-return]

        def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
            # Python refuses to convert integers of more than 4,300 digits; keep the text so that validation
            # says the field wants a number.
            try:
                return super().construct_yaml_int(node)
            except ValueError:
                return node.value

        def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
            # PyYAML raises a bare ValueError for an impossible date such as 2024-02-30; keep the text so that
            # validation reports it, located, with the other problems.
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError:
                return node.value

    DuplicateKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", DuplicateKeyLoader.construct_yaml_timestamp)
    DuplicateKeyLoader.add_constructor("tag:yaml.org,2002:int", DuplicateKeyLoader.construct_yaml_int)
    return DuplicateKeyLoader


def _looks_utf16(raw: bytes) -> bool:
    # Notepad's "Unicode" is UTF-16 with a BOM; without one, ASCII text in UTF-16 has a NUL in every other
    # byte, on one side only (a file of nothing but NULs is not UTF-16).
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:400]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return len(head) >= 4 and max(even, odd) * 3 >= len(head) and min(even, odd) * 8 <= len(head)


def _conversion_advice(path: Path, encoding: str) -> str:
    import shlex

    quoted = shlex.quote(os.fsdecode(path))
    converted = shlex.quote(os.fsdecode(path) + ".utf8")
    return (
        f"请用记事本或 WPS 打开后“另存为”，编码选 UTF-8；或运行：iconv -f {encoding} -t UTF-8 {quoted} > {converted} "
        f"&& mv {converted} {quoted}"
    )


def decode(path: Path, raw: bytes) -> str:
    """UTF-8 text of a data file (a BOM is dropped); anything else is a DataError that says how to convert."""
    if _looks_utf16(raw):
        message = "文件是 UTF-16 编码（记事本的“Unicode”），gongkai 只读 UTF-8。" + _conversion_advice(path, "UTF-16")
        raise DataError([Problem(path, 1, None, message, "encoding")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        message = "文件不是 UTF-8 编码（可能是 Office 另存的 GBK 文件）。" + _conversion_advice(path, "GBK")
        raise DataError([Problem(path, line, None, message, "encoding")]) from None


# A table needs no aliases (*anchor) at all; they are allowed for convenience, but what they expand to may add
# at most this many nodes to what the file spells out. A file shaped like the schema with nested aliases
# (300 tasks x 300 subsections x 300 sections) would otherwise build 27 million tasks.
ALIAS_EXPANSION_LIMIT = 100_000
# The schema nests about ten levels deep.
DEPTH_LIMIT = 64


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _may_hold_unsafe(text: str) -> bool:
    """Whether a value could hold an unsafe character, judged from the text at C speed.

    It is either in the text itself or written as an escape (\\e, \\u202e) in a double-quoted scalar. A CR of a
    CRLF line end is a line break, not text, and a tab may stand between tokens, so a text with a tab is
    looked at value by value.
    """
    if "\\" in text or "\t" in text or "::" in text:
        return True
    return unsafe_pattern().search(text.replace("\r\n", "\n")) is not None


def _unsafe_problem(path: Path, node: yaml.Node) -> Problem | None:
    value: str = node.value
    found = unsafe_pattern().search(value)
    if found is not None:
        message = f"文字中有不可见的{describe(found.group())}，数据中不允许；请删除它"
    elif "::" in value and any(line.lstrip().startswith("::") for line in value.split("\n")):
        # A CI runner obeys a log line that starts with "::" (::stop-commands::, ::error …): data printed into
        # a log, as CSV keeps its line breaks, must not start one.
        message = "文字中有一行以“::”开头，CI 日志会把它当作命令执行；请改写这一行（例如改用全角“：：”）"
    else:
        return None
    return Problem(path, node.start_mark.line + 1, node.start_mark.column + 1, message, "unsafe-character")


def _unsafe_scalars(path: Path, root: yaml.Node) -> list[Problem]:
    """Every scalar of a document without aliases (a tree) that holds an unsafe character."""
    problems = []
    stack = [root]
    while stack:
        node = stack.pop()
        value = node.value
        if isinstance(value, str):
            problem = _unsafe_problem(path, node)
            if problem is not None:
                problems.append(problem)
        elif value and isinstance(value[0], tuple):  # a mapping: (key, value) pairs
            for pair in value:
                stack.extend(pair)
        else:
            stack.extend(value)
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))  # the stack visits the document backwards


def _check_nodes(path: Path, root: yaml.Node) -> list[Problem]:
    """Bound the document before anything is built from it; every scalar holding an unsafe character is a problem.

    Aliases share nodes, so the walk memoises each node's expanded size and never expands anything: it costs
    one visit per distinct node however large the expansion would be.
    """
    import yaml

    expanded: dict[int, int] = {}
    on_path: set[int] = set()
    unsafe: list[Problem] = []
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
            continue
        if key in expanded:
            continue
        where = (node.start_mark.line + 1, node.start_mark.column + 1)
        if key in on_path:
            message = "别名（*）指向包含它自身的内容，形成循环；请删除这个别名"
            raise DataError([Problem(path, *where, message, "alias-expansion")])
        if depth > DEPTH_LIMIT:
            message = f"嵌套超过 {DEPTH_LIMIT} 层，不是 gongkai 数据文件的结构"
            raise DataError([Problem(path, *where, message, "nesting")])
        if isinstance(node, yaml.ScalarNode):
            problem = _unsafe_problem(path, node)
            if problem is not None:
                unsafe.append(problem)
            expanded[key] = 1
            continue
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in expanded)
    added = expanded[id(root)] - len(expanded)
    if added > ALIAS_EXPANSION_LIMIT:
        raise DataError(
            [
                Problem(
                    path,
                    None,
                    None,
                    f"别名（*）展开后会多出 {added:,} 个节点，超过上限 {ALIAS_EXPANSION_LIMIT:,}；"
                    "数据表不需要别名，请把内容直接写出",
                    "alias-expansion",
                )
            ]
        )
    return unsafe


# Typing slips that PyYAML reports in its own words, often a line or two after the slip. Each: what the line looks
# like, and what to type instead. A key is ASCII letters (the schema's field names).
_SLIPS: tuple[tuple[str, str], ...] = (
    (r"^ *\t", "行首用了制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格"),
    (r"^\s*(?:- )?[A-Za-z_]+\s*：", "键后用了全角冒号“：”；请改为半角冒号加一个空格“: ”"),
    (r"^\s*(?:- )?[A-Za-z_]+:[^\s/]", "冒号后少了空格；请在“:”后加一个空格"),
    (
        r"^\s*(?:- )?[A-Za-z_]+: [^\"'|>\s].*: ",
        "文字中含有“: ”，YAML 会把它当作键和值的分隔；请给整段文字加上引号，或把其中的“: ”改为全角“：”",
    ),
)
# How far above the reported line a slip is looked for.
_SLIP_REACH = 3


def _syntax_problem(path: Path, text: str, error: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error explained in Chinese, at the line of the slip when it is a known one."""
    import re

    mark = error.problem_mark or error.context_mark
    if mark is None:
        return Problem(path, None, None, f"YAML 语法错误（{error.problem}）", "yaml")
    lines = text.splitlines()
    for number in range(mark.line, max(mark.line - _SLIP_REACH, -1), -1):
        if number >= len(lines):
            continue
        for pattern, advice in _SLIPS:
            if re.match(pattern, lines[number]):
                return Problem(path, number + 1, None, advice, "yaml")
    detail = f"{error.context}, {error.problem}" if error.context else str(error.problem)
    if error.context and "flow" in error.context and error.context_mark is not None:
        # An unclosed [ or { is noticed where the text runs out; the slip is where it opened.
        opened = error.context_mark
        message = f"YAML 语法错误：这里的“[”或“{{”没有配对的“]”或“}}”；请补上，或给整段文字加上引号（原文：{detail}）"
        return Problem(path, opened.line + 1, opened.column + 1, message, "yaml")
    message = f"YAML 语法错误：这一行的缩进、冒号或引号不合规则，请对照上下文检查（原文：{detail}）"
    return Problem(path, mark.line + 1, mark.column + 1, message, "yaml")


def parse_yaml(
    path: Path, raw: bytes, top_level: str = "document/sections 或 units/groups"
) -> tuple[Source, list[Problem]]:
    """Parse one file; a syntax error or an empty file is a DataError, repeated keys are problems.

    `top_level` names the keys such a file starts with, for the message when it is not a mapping.
    """
    import yaml

    text = decode(path, raw)
    loader = _loader_class()(text)
    unsafe: list[Problem] = []
    try:
        root = loader.get_single_node()
        if root is not None and "&" in text:  # an alias needs an anchor
            unsafe = _check_nodes(path, root)
        elif root is not None and _may_hold_unsafe(text):
            unsafe = _unsafe_scalars(path, root)
        data = loader.construct_document(root) if root is not None else None
    except RecursionError:  # the pure-Python parser recurses once per level of nesting
        message = f"嵌套层数过多（超过 {DEPTH_LIMIT} 层），不是 gongkai 数据文件的结构"
        raise DataError([Problem(path, None, None, message, "nesting")]) from None
    except yaml.MarkedYAMLError as e:
        raise DataError([_syntax_problem(path, text, e)]) from None
    except yaml.reader.ReaderError as e:  # a character YAML refuses outright, such as NUL
        line = text.count("\n", 0, e.position) + 1
        column = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        message = f"文字中有不可见的{describe(chr(e.character))}，YAML 不允许；请删除它"
        raise DataError([Problem(path, line, column, message, "unsafe-character")]) from None
    except yaml.YAMLError as e:
        raise DataError([Problem(path, None, None, f"YAML 无法读取（{e}）", "yaml")]) from None
    finally:
        loader.dispose()
    source = Source(path, data, root)
    if not isinstance(data, dict):
        raise DataError([source.problem((), f"文件应为“键: 值”映射（顶层是 {top_level}）")._replace(code="schema")])
    problems = [
        Problem(
            path,
            mark.line + 1,
            mark.column + 1,
            f"键“{key}”重复（首次出现在第 {first.line + 1} 行），请合并或删除其一",
            "duplicate-key",
        )
        for key, mark, first in loader.duplicates
    ]
    return source, unsafe + problems


_SIMPLE_MESSAGES = {
    "missing": "缺少必填字段“{field}”",
    "missing_argument": "缺少必填字段“{field}”",
    "unexpected_keyword_argument": "未知字段“{field}”，请检查拼写（可用字段见文件开头的说明）",
    "extra_forbidden": "未知字段“{field}”，请检查拼写（可用字段见文件开头的说明）",
    "date_parsing": "“{field}”应为日期，写作 2024-09-30",
    "date_from_datetime_parsing": "“{field}”应为日期，写作 2024-09-30",
    "date_from_datetime_inexact": "“{field}”应为日期，写作 2024-09-30",
    "date_type": "“{field}”应为日期，写作 2024-09-30",
    "int_parsing": "“{field}”应为整数",
    "int_type": "“{field}”应为整数（不加引号）",
    "int_from_float": "“{field}”应为整数",
    "float_parsing": "“{field}”应为数字",
    "greater_than_equal": "“{field}”应不小于 {ge}",
    "less_than_equal": "“{field}”应不大于 {le}",
    "float_type": "“{field}”应为数字",
    "bool_parsing": "“{field}”应为 true 或 false",
    "bool_type": "“{field}”应为 true 或 false",
    "string_type": "“{field}”应为文本",
    "string_too_short": "“{field}”不能为空",
    "too_short": "“{field}”至少需要一项",
    "tuple_type": "“{field}”应为列表，写作 [甲, 乙] 或逐行 - 甲",
    "list_type": "“{field}”应为列表，写作 [甲, 乙] 或逐行 - 甲",
    "named_tuple_type": "“{field}”应为“键: 值”映射",
    "dataclass_type": "“{field}”应为“键: 值”映射",
    "dataclass_args_type": "“{field}”应为“键: 值”映射",
    "dict_type": "“{field}”应为“键: 值”映射",
}


def _describe(error: dict[str, Any]) -> str:
    """A Chinese message for one pydantic error."""
    names = [str(step) for step in error["loc"] if isinstance(step, str)]
    field = names[-1] if names else "（顶层）"
    if error["type"] == "literal_error":
        expected = str(error["ctx"]["expected"]).replace(" or ", "、").replace(", ", "、")
        return f"“{field}”的取值“{error['input']}”无效，应为 {expected} 之一"
    template = _SIMPLE_MESSAGES.get(error["type"])
    return template.format(field=field, **error.get("ctx", {})) if template else f"“{field}”：{error['msg']}"


def validate_model(source: Source, model: type[Model]) -> tuple[Model | None, list[Problem]]:
    """Validate parsed data against a file model; on failure every field error is a located problem."""
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(model).validate_python(source.data), []
    except ValidationError as e:
        problems = []
        for error in e.errors(include_url=False):
            loc = [step for step in error["loc"] if isinstance(step, (str, int))]
            on_key = error["type"] in ("unexpected_keyword_argument", "extra_forbidden")
            problems.append(source.problem(loc, _describe(dict(error)), key=on_key)._replace(code="schema"))
        return None, problems


def one_table_files(data_dir: Path) -> tuple[Path, ...]:
    """The files of a one-table data folder, roster first: the order every loader takes."""
    return (data_dir / UNITS_FILE, data_dir / TASKS_FILE)


def read_files(paths: Sequence[Path]) -> tuple[dict[Path, bytes], list[Problem]]:
    """The raw bytes of the data files that could be read, and a problem for each that could not."""
    contents: dict[Path, bytes] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            contents[path] = read_file(path)
        except FileRefusedError as e:
            hint = (
                f"；用 --data 或 GONGKAI_DATA 指向含 {TASKS_FILE} 和 {UNITS_FILE} 的目录" if str(e) == "不存在" else ""
            )
            problems.append(Problem(path, None, None, f"数据文件{e}{hint}", "file"))
    return contents, problems


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of objects are built that contain no cycles.

    Otherwise the collector rescans the growing heap again and again: at 100,000 tasks it takes most of the
    time spent parsing YAML.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def inspect_data(files: Sequence[Path], contents: dict[Path, bytes]) -> tuple[Division | None, list[Problem]]:
    """Parse, validate and cross-check a table's files (roster, tasks.yaml, then the table's roster additions).

    The structure is read from the printed cells. The problems include notices (severity "notice"), which do
    not stop the division from being built; it is None when there is any other problem.
    """
    with collector_paused():
        return _inspect(files, contents)


def errors_in(problems: list[Problem]) -> list[Problem]:
    """The problems that stop data from loading (not the notices)."""
    return [p for p in problems if p.severity != "notice"]


def _inspect(files: Sequence[Path], contents: dict[Path, bytes]) -> tuple[Division | None, list[Problem]]:
    from .validate import check_tasks, check_units

    # Each file is parsed and checked on its own as far as it allows, so that a problem in one file
    # never hides another's; only the checks that need them all wait for them all.
    roster_paths = [files[0], *files[2:]]
    tasks_path = files[1]
    problems: list[Problem] = []
    sources: dict[Path, Source] = {}
    for path in files:
        if path not in contents:
            continue
        try:
            sources[path], found = parse_yaml(path, contents[path])
            problems += found
        except DataError as e:
            problems += e.problems
    rosters = []
    for path in roster_paths:
        if path in sources:
            roster, found = validate_model(sources[path], UnitFile)
            problems += found
            if roster is not None:
                rosters.append((roster, sources[path]))
    units, names = None, None
    if len(rosters) == len(roster_paths):
        names, units, found = check_units(rosters)
        problems += found
    tasks = None
    if tasks_path in sources:
        tasks, found = validate_model(sources[tasks_path], TaskFile)
        problems += found
        if tasks is not None:
            checked = check_tasks(tasks, sources[tasks_path], names)
            tasks = checked.tasks
            problems += checked.problems + checked.notices
            if checked.unknown_names:
                problems.append(_roster_hint(roster_paths[-1], checked.unknown_names))
    if errors_in(problems) or tasks is None or units is None:
        return None, problems
    return Division(tasks, units), problems


def _roster_hint(path: Path, names: list[str]) -> Problem:
    """A notice with ready-to-paste units.yaml entries for names the roster lacks, each with a guessed kind."""
    from .responsibility import aliases_in
    from .validate import guess_kind

    entries = ""
    for written in names:
        # 市府办〔市大数据局〕 is a name with an alias in brackets: one entry answers to both.
        name, alias = aliases_in(written) or (written, None)
        entries += f"\n  - name: {name}\n    kind: {guess_kind(name)}"
        entries += f"\n    aliases: [{alias}]" if alias else ""
        entries += "\n    review: true"
    return Problem(
        path,
        None,
        None,
        f"可把下面的条目粘贴到 units.yaml 的 units 下，核对类型后删除 review：{entries}",
        "roster",
        "notice",
    )


class TableProblems(NamedTuple):
    """What checking one table of a data folder found."""

    table_id: str | None
    division: Division | None
    problems: list[Problem]


def check_folder(data_dir: Path, *, today: date | None = None) -> list[TableProblems]:
    """Every problem of every table of a data folder, and of its progress records, always validated from source.

    A problem of a file that several tables share (the folder's roster) is reported with the first table only.
    Progress records may not be dated after `today` (today in China by default).
    """
    from .progress import read_progress
    from .query import today_in_china
    from .workspace import progress_folder, tables

    found_tables: list[Table | None] = [*tables(data_dir)] or [None]
    reported: set[Problem] = set()
    results = []
    for table in found_tables:
        files = table.files if table is not None else one_table_files(data_dir)
        contents, problems = read_files(files)
        division, found = inspect_data(files, contents)
        if division is not None:
            folder = table.folder if table is not None else data_dir
            _, progress_problems = read_progress(progress_folder(folder), division, today=today or today_in_china())
            found += progress_problems
        fresh = [p for p in problems + found if p not in reported]
        reported.update(fresh)
        results.append(TableProblems(table.id if table is not None else None, division, fresh))
    return results


def chosen_table(
    data_dir: Path, *, table: str | None = None, year: int | None = None, today_year: int | None = None
) -> Table:
    """The table of a data folder a query reads: its id, its folder and the files it is read from.

    A folder of several tables gives the one `table` or `year` picks, else the table of `today_year` (the
    current year in China by default), else the latest; a one-table folder gives its one table (id None).
    WorkspaceError when the choice names no table.
    """
    from .workspace import Table, choose_table, tables

    available = tables(data_dir)
    if available and (table is not None or year is not None or available[0].id is not None):
        if today_year is None:
            from .query import today_in_china

            today_year = today_in_china().year
        return choose_table(available, table_id=table, year=year, today_year=today_year)
    return Table(None, data_dir, one_table_files(data_dir))


def load_data(
    data_dir: Path | None = None,
    *,
    table: str | None = None,
    year: int | None = None,
    today_year: int | None = None,
    use_cache: bool = True,
) -> Division:
    """Load and fully validate one table of a data folder (the bundled data by default); DataError on a problem.

    A folder of several tables gives the one `table` or `year` picks, else the table of `today_year` (the
    current year in China by default), else the latest. Validated data is cached (see `cache`), so that only
    the first query after an edit pays for validation.
    """
    from . import cache

    chosen = chosen_table(data_dir or bundled_data_dir(), table=table, year=year, today_year=today_year)
    files, folder_of_table = chosen.files, chosen.folder
    contents, missing = read_files(files)
    if missing:
        raise DataError(missing)
    wanted = cache.cache_dir() if use_cache else None
    folder = cache.private_folder(wanted) if wanted is not None else None
    stored_at = cache.cache_file(folder, folder_of_table) if folder is not None else None
    if stored_at is not None:
        key = cache.data_key(contents)
        with collector_paused():
            cached = cache.read(stored_at, key)
        if cached is not None:
            return cached
    division, problems = inspect_data(files, contents)
    if division is None:
        raise DataError(errors_in(problems))
    if stored_at is not None:
        cache.write(stored_at, key, division)
    return division


__all__ = [
    "DATA_FILES",
    "Source",
    "TableProblems",
    "bundled_data_dir",
    "check_folder",
    "chosen_table",
    "inspect_data",
    "load_data",
    "one_table_files",
    "read_files",
]
