"""YAML with positions: a data file's bytes -> its data and node tree, every problem located.

Decoding (UTF-8 only, with advice for UTF-16 and GBK), parsing with a loader that records repeated keys, bounds
on nesting and alias expansion, unsafe characters, and syntax errors explained in Chinese.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, Problem
from ..safetext import describe, unsafe_pattern

if TYPE_CHECKING:
    import yaml


class Source:
    """One parsed YAML file: its Python data, and the node tree that knows where each value stands.

    A file without anything unusual in it (anchors, tags, merge keys) is built straight from the parser's events,
    with no node tree: at 100,000 tasks the tree is most of the memory a check takes. The tree is composed again
    from the file's bytes the first time a problem needs a position.
    """

    __slots__ = ("_raw", "_root", "data", "path")

    def __init__(self, path: Path, data: Any, root: yaml.Node | None = None, *, raw: bytes | None = None) -> None:
        self.path = path
        self.data = data
        self._root = root
        self._raw = raw

    def with_data(self, data: Any) -> Source:
        """The same file with other data read from it (positions still found in the file's own tree)."""
        return Source(self.path, data, self._root, raw=self._raw)

    @property
    def root(self) -> yaml.Node | None:
        """The document's node tree, composed on first use when the data was built without it."""
        if self._root is None and self._raw is not None:
            loader = _loader_class()(decode(self.path, self._raw))
            try:
                self._root = loader.get_single_node()
            finally:
                loader.dispose()
            self._raw = None
        return self._root

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


class _Unusual(Exception):
    """Something the event reader leaves to the full loader: an anchor, alias, tag, merge key or complex key."""


def _data_from_events(loader: Any, path: Path, check_unsafe: bool) -> tuple[Any, list[Problem]]:
    """The document's data built from the parser's events, without a node tree, and its unsafe scalars.

    Only plain mappings, sequences and scalars: anything else raises _Unusual, and the caller starts over with the
    full loader. Repeated keys are recorded on the loader as its construct_mapping records them.
    """
    import yaml

    scalar_node = yaml.ScalarNode
    constructors = loader.yaml_constructors
    str_tag = loader.DEFAULT_SCALAR_TAG
    unsafe: list[Problem] = []
    loader.get_event()  # the stream's start
    if loader.check_event(yaml.StreamEndEvent):
        return None, unsafe
    loader.get_event()  # the document's start
    # Each open collection: the collection, and for a mapping the key awaiting its value (a one-item list) and
    # where each key was first seen.
    stack: list[tuple[Any, list[Any] | None, dict[Any, Any] | None]] = []
    root: Any = None
    while True:
        event = loader.get_event()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise _Unusual
            value: Any = event.value
            tag = loader.resolve(scalar_node, value, event.implicit)
            if tag != str_tag:
                if tag not in constructors:
                    raise _Unusual  # a merge key (<<)
                value = constructors[tag](loader, scalar_node(tag, value, event.start_mark, event.end_mark))
            elif check_unsafe:
                problem = _unsafe_problem(path, scalar_node(tag, value, event.start_mark, event.end_mark))
                if problem is not None:
                    unsafe.append(problem)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag not in (None, "!") or len(stack) >= DEPTH_LIMIT:
                raise _Unusual
            if kind is yaml.MappingStartEvent:
                stack.append(({}, [], {}))
            else:
                stack.append(([], None, None))
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is yaml.DocumentEndEvent:
            if not loader.check_event(yaml.StreamEndEvent):
                raise _Unusual  # a second document: the full loader says so
            return root, unsafe
        else:
            raise _Unusual  # an alias
        if not stack:
            root = value
            continue
        collection, pending, seen = stack[-1]
        if pending is None:
            collection.append(value)
        elif not pending:
            if kind is not yaml.ScalarEvent:
                raise _Unusual  # a complex key
            pending.append(value)
            assert seen is not None
            earlier = seen.setdefault(value, event.start_mark)
            if earlier is not event.start_mark:
                loader.duplicates.append((value, event.start_mark, earlier))
        else:
            collection[pending.pop()] = value


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
    loader_class = _loader_class()
    loader = loader_class(text)
    unsafe: list[Problem] = []
    root = None
    try:
        try:
            data, unsafe = _data_from_events(loader, path, _may_hold_unsafe(text))
        except _Unusual:
            loader.dispose()
            loader = loader_class(text)
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
    source = Source(path, data, root, raw=raw if root is None else None)
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


__all__ = ["ALIAS_EXPANSION_LIMIT", "DEPTH_LIMIT", "Source", "decode", "parse_yaml"]
