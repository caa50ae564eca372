"""A 责任单位 text read into roles: who leads, who implements, who supports, with every name as written.

The grammar, as the task-division tables of cities, provinces and counties write it:

* A role word closes the list of names before it: "市政务公开办、市司法局牵头，市政府各部门，各县区政府、管委会负责落实"
  gives two leads and three implementing units. Names that no role word follows are implementing units.
* A label opens a list that runs to the next label: "牵头单位：A、B；责任单位：C；配合单位：D". Role words inside
  a labelled list still apply to the names before them.
* A role in a trailing bracket applies to that one name only: "市发展改革委（牵头）".
* Brackets of every kind are atoms: nothing inside "各县（市、区）政府" is split. An unbalanced bracket is an
  ordinary character, and the text after it is read as if it were not there.
* 等 ends a list only as a word of its own (see `split_names`); a trailing 等 is dropped.
* Names are separated by 、，,；;/ and whitespace; full-width and ASCII punctuation are the same. A semicolon or 。
  also closes a clause: names before it that no role word followed take the label's role (or implement).
* A name written under two roles keeps the strongest only: lead, then implementing unit, then support.
* 及, 和, 与 and 以及 join two names or groups ("市级各有关部门及各县市区政府"), but only where the text before ends
  as a body's name does: 市人力资源和社会保障局 stays whole. "各县、市、区政府" lists levels of one group, and
  "市直有关部门、单位" is one group.
* A sentence of instruction after the units ("。以下任务均需…落实，不再一一列出") is a note, and a phrase labelled
  with another field ("完成时限：长期坚持") goes to that field: neither is read for units. A cell may name no unit.

Names are returned as written: only leading and trailing whitespace and invisible characters are removed, and a
bracketed alias stays part of the name (`aliases_in` reads it). Every function takes any string, never raises,
and runs in time linear in the length of the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .tuples import NamedTuple
from .vocabulary import (
    BARE_GROUPS,
    BODY_ENDINGS,
    GROUP_PREFIXES,
    GROUP_SUFFIXES,
    GROUP_WORDS,
    INSTRUCTION_WORDS,
    JOINERS,
    LEAD,
    NAMED,
    NO_UNIT,
    NOT_ALIAS_START,
    PLACE_LEVELS,
    SUPPORT,
    UNIT_NOUNS,
    Field,
    Role,
    field_names,
    labels,
    role_words,
)

# Stronger roles rank lower: a name written under two roles keeps the lower rank.
_RANK: Mapping[str, int] = {LEAD: 0, NAMED: 1, SUPPORT: 2}


class Roles(NamedTuple):
    """The units a responsibility text names, by role, each in text order and without duplicates."""

    leads: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    """Units that implement (负责, 负责落实, 落实, 按职责分工负责 …), and every name no role word follows."""
    supports: tuple[str, ...] = ()
    """Units that support the lead (配合, 协助, 协同, 参与 …)."""
    notes: tuple[str, ...] = ()
    """Sentences of instruction the cell holds (以下任务均需…落实，不再一一列出): a note on the task, not units."""
    fields: tuple[tuple[Field, str], ...] = ()
    """Labelled phrases of other fields the cell holds (完成时限：长期坚持 → ("time_limit", "长期坚持"))."""


_LABELS = labels()
_ROLE_WORDS = role_words()
_LONGEST_ROLE_WORD = max(map(len, _ROLE_WORDS))

# --- characters -------------------------------------------------------------------------------------------

# Everything str.isspace() accepts, and the invisible characters a pasted cell carries: zero-width spaces and
# joiners, the soft hyphen, the byte-order mark, bidi marks and controls.
_TRIM = (
    "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)

# Brackets by kind: an opening bracket pairs with the next closing bracket of its kind. （ and ( are one kind.
_OPEN: Mapping[str, int] = {"(": 0, "（": 0, "〔": 1, "[": 2, "［": 2, "【": 3, "〖": 4, "｛": 5, "{": 5}
_CLOSE: Mapping[str, int] = {")": 0, "）": 0, "〕": 1, "]": 2, "］": 2, "】": 3, "〗": 4, "｝": 5, "}": 5}
_BRACKET_KINDS = 6
_BRACKETS = tuple(_OPEN) + tuple(_CLOSE)

# Delimiters, weakest first: between names, between clauses, after a label. Whitespace is a list separator.
_SEP, _CLAUSE, _COLON, _END = 1, 2, 3, 4
_DELIMITERS: Mapping[str, int] = {
    "、": _SEP,
    "，": _SEP,
    ",": _SEP,
    "/": _SEP,
    "／": _SEP,
    "；": _CLAUSE,
    ";": _CLAUSE,
    "。": _CLAUSE,
    "．": _CLAUSE,
    "：": _COLON,
    ":": _COLON,
}

# --- the 等 rule ------------------------------------------------------------------------------------------

# 等 is part of a word, never a list end, after these characters (高等, 中等, 同等, 平等, 一等 …) …
_DENG_WORD_BEFORE = frozenset("高中初上下同平对均相优次特劣头何此一二三四五六七八九十甲乙丙丁")
# … and before these (等级, 等于, 等同, 等待, 等候, 等额 …).
_DENG_WORD_AFTER = frozenset("级于同待候额距号价量比效")
_COUNT_START = frozenset("0123456789０１２３４５６７８９一二两三四五六七八九十几多若")

# --- scanning ---------------------------------------------------------------------------------------------


def _trim(text: str) -> str:
    return text.strip(_TRIM)


def _is_name(text: str) -> bool:
    """Whether a piece of text could be a name: it has a letter, a digit or a CJK character."""
    return any(char.isalnum() for char in text)


def _pairs(text: str) -> dict[int, int]:
    """The matched brackets of `text`, as {index of the opening bracket: index of its closing bracket}.

    A closing bracket with no opening bracket of its kind before it is an ordinary character; one with an opening
    bracket of its kind further down closes that bracket, and the brackets opened since are ordinary characters.
    Each bracket is pushed and popped at most once: linear in the length of the text.
    """
    if not any(bracket in text for bracket in _BRACKETS):
        return {}
    pairs: dict[int, int] = {}
    stack: list[tuple[int, int]] = []
    open_of_kind = [0] * _BRACKET_KINDS
    for i, char in enumerate(text):
        kind = _OPEN.get(char)
        if kind is not None:
            stack.append((i, kind))
            open_of_kind[kind] += 1
            continue
        kind = _CLOSE.get(char)
        if kind is None or not open_of_kind[kind]:
            continue
        while stack:
            start, popped = stack.pop()
            open_of_kind[popped] -= 1
            if popped == kind:
                pairs[start] = i
                break
    return pairs


def _inside(text: str, pairs: Mapping[int, int]) -> bytearray:
    """1 at every index within a matched bracket pair (the brackets included), 0 elsewhere."""
    mask = bytearray(len(text))
    if not pairs:
        return mask
    i, n = 0, len(text)
    while i < n:
        end = pairs.get(i)
        if end is None:
            i += 1
            continue
        mask[i : end + 1] = b"\x01" * (end + 1 - i)
        i = end + 1
    return mask


def _trailing_group(text: str) -> int | None:
    """The index of the opening bracket of a matched pair that ends `text`, if one does."""
    if not text or text[-1] not in _CLOSE:
        return None
    last = len(text) - 1
    for start, end in _pairs(text).items():
        if end == last:
            return start
    return None


def _chunks(text: str) -> list[tuple[str, int]]:
    """`text` cut at delimiters outside brackets: each piece with the strongest delimiter that follows it."""
    pairs = _pairs(text)
    chunks: list[tuple[str, int]] = []
    n = len(text)
    start = i = 0
    while i < n:
        end = pairs.get(i)
        if end is not None:
            i = end + 1
            continue
        char = text[i]
        kind = _DELIMITERS.get(char) or (_SEP if char.isspace() else 0)
        if not kind:
            i += 1
            continue
        if char == "、" and _joined_at(text, i, pairs):
            i += 1
            continue
        piece_end = i
        # A run of delimiters counts as its strongest: "A ：B" is a label, "A、；B" ends a clause.
        while i < n:
            char = text[i]
            following = _DELIMITERS.get(char) or (_SEP if char.isspace() else 0)
            if not following:
                break
            kind = max(kind, following)
            i += 1
        chunks.append((text[start:piece_end], kind))
        start = i
    chunks.append((text[start:], _END))
    return chunks


def _joined_at(text: str, i: int, pairs: Mapping[int, int]) -> bool:
    """Whether the 、 at `i` lists levels of one group (各县、市、区政府) or a bare noun of the same group
    (市直有关部门、单位), rather than separating two names."""
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    if before in PLACE_LEVELS and after in PLACE_LEVELS and (i < 2 or text[i - 2] in "各、"):
        return True
    end = i + 1
    while end < len(text) and text[end] not in _DELIMITERS and not text[end].isspace() and end not in pairs:
        end += 1
    return i > 0 and _role_suffix(_trim(text[i + 1 : end]))[0] in BARE_GROUPS


# --- names ------------------------------------------------------------------------------------------------


def _split_at_joiners(name: str) -> list[str]:
    """`name` cut where 及, 和, 与 or 以及 join two names: the text before ends as a body's name does and the text
    after is a group or a name of three or more characters. 市人力资源和社会保障局 stays whole."""
    mask = _inside(name, _pairs(name))
    for i in range(1, len(name) - 1):
        if mask[i]:
            continue
        joiner = next((j for j in JOINERS if name.startswith(j, i)), None)
        if joiner is None:
            continue
        before, after = _trim(name[:i]), _trim(name[i + len(joiner) :])
        if after.startswith("其") or not before.endswith((*BODY_ENDINGS, *GROUP_SUFFIXES)):
            continue
        if after.startswith(GROUP_PREFIXES) or (len(after) >= 3 and after.endswith(BODY_ENDINGS)):
            return [before, *_split_at_joiners(after)]
    return [name]


def _split_at_deng(text: str) -> list[str]:
    """One piece of a list, cut where 等 ends the list (see `split_names`)."""
    text = _trim(text)
    if "等" not in text:
        return [text] if _is_name(text) else []
    mask = _inside(text, _pairs(text))
    n = len(text)
    group_end = text.endswith(GROUP_SUFFIXES)
    for i in range(n - 1, -1, -1):
        if text[i] != "等" or mask[i]:
            continue
        if (i and text[i - 1] in _DENG_WORD_BEFORE) or (i + 1 < n and text[i + 1] in _DENG_WORD_AFTER):
            continue
        if i == n - 1:  # "A、B等": the 等 is dropped
            before = _trim(text[:i])
            return [before] if _is_name(before) else []
        counted = text[i + 1] in _COUNT_START and group_end
        if not (counted or group_end or text.startswith(GROUP_PREFIXES, i + 1)):
            continue
        before, after = _trim(text[:i]), _trim(text[i + 1 :])
        names = [before] if _is_name(before) else []
        if not counted and after not in BARE_GROUPS and _is_name(after):
            names.append(after)
        return names
    return [text] if _is_name(text) else []


def _role_suffix(text: str) -> tuple[str, Role | None]:
    """`text` without the role word that ends it, and that word's role."""
    if text in _ROLE_WORDS:
        return "", _ROLE_WORDS[text]
    for length in range(min(_LONGEST_ROLE_WORD, len(text) - 1), 0, -1):
        role = _ROLE_WORDS.get(text[-length:])
        if role is not None:
            return _trim(text[:-length]), role
    return text, None


def _lead_cuts(text: str) -> list[str]:
    """`text` cut after each 牵头 that more names follow: "A牵头B负责落实" → "A牵头", "B负责落实"."""
    if "牵头" not in text:
        return [text]
    mask = _inside(text, _pairs(text))
    pieces: list[str] = []
    start = 0
    found = text.find("牵头")
    while found != -1:
        cut = found + 2
        # The text is trimmed, so anything after the cut is more text. "牵头负责落实" ends the piece as one word.
        ends_in_role_word = len(text) - cut <= _LONGEST_ROLE_WORD and text[cut:] in _ROLE_WORDS
        if cut < len(text) and not mask[found] and not ends_in_role_word and not text.startswith(UNIT_NOUNS, cut):
            pieces.append(text[start:cut])
            start = cut
        found = text.find("牵头", cut)
    pieces.append(text[start:])
    return pieces


# Events the scanner emits, read by `_assign`.
_NAME, _ROLE, _MARK, _LABEL, _CLAUSE_END = range(5)
_Event = tuple[int, str]


def _events(text: str) -> list[_Event]:
    events: list[_Event] = []
    for raw, delimiter in _chunks(text):
        chunk = _trim(raw)
        if delimiter == _COLON and chunk:
            label = _LABELS.get(chunk) or _ROLE_WORDS.get(chunk)
            if label is not None:
                events.append((_LABEL, label))
                continue
        for piece in _lead_cuts(chunk):
            _piece_events(_trim(piece), events)
        if delimiter == _CLAUSE:
            events.append((_CLAUSE_END, ""))
    return events


def _piece_events(piece: str, events: list[_Event]) -> None:
    if not piece:
        return
    body, role = _role_suffix(piece)
    if role is not None and len(body) > 1 and body.startswith("由"):  # "由市政府办公室牵头"
        body = _trim(body[1:])
    mark: str | None = None
    start = _trailing_group(body)
    if start is not None and start > 0:
        inner = _trim(body[start + 1 : -1])
        mark = _LABELS.get(inner) or _ROLE_WORDS.get(inner)
        if mark is not None:  # "市发展改革委（牵头）"
            body = _trim(body[:start])
    names = [part for name in _split_at_deng(body) for part in _split_at_joiners(name) if part not in NO_UNIT]
    events.extend((_NAME, name) for name in names)
    if mark is not None and names:
        events.append((_MARK, mark))
    if role is not None:
        events.append((_ROLE, role))


def _assign(events: Iterable[_Event], default: str) -> list[tuple[str, str]]:
    """Each name with the role the events give it, in text order."""
    assigned: list[tuple[int, str, str]] = []
    pending: list[tuple[int, str]] = []
    current = default

    def settle(role: str) -> None:
        assigned.extend((order, name, role) for order, name in pending)
        pending.clear()

    for order, (kind, value) in enumerate(events):
        if kind == _NAME:
            pending.append((order, value))
        elif kind == _MARK:
            if pending:
                last_order, last = pending.pop()
                assigned.append((last_order, last, value))
        elif kind == _ROLE:
            settle(value)
        elif kind == _LABEL:
            settle(current)
            current = value
        else:
            settle(current)
    settle(current)
    assigned.sort()
    return [(name, role) for _, name, role in assigned]


def _roles(assigned: list[tuple[str, str]]) -> Roles:
    strongest: dict[str, int] = {}
    for name, role in assigned:
        rank = _RANK[role]
        if rank < strongest.get(name, len(_RANK)):
            strongest[name] = rank
    by_rank: list[list[str]] = [[] for _ in _RANK]
    for name, role in assigned:
        rank = _RANK[role]
        if strongest.get(name) == rank:
            by_rank[rank].append(name)
            del strongest[name]  # once per name
    leads, named, supports = by_rank
    return Roles(tuple(leads), tuple(named), tuple(supports))


# --- the API ----------------------------------------------------------------------------------------------


def split_names(text: str) -> list[str]:
    """Every name `text` writes, in text order and as written, with role words and labels left out.

    Names are separated by 、，,；;/：: and whitespace outside brackets; a bracket of any kind (() （） 〔〕 [] ［］ 【】
    〖〗 {}) keeps its contents whole. Duplicates are kept: this is the list as written.

    等 ends a list only as a word of its own. A piece "X等Y" is cut at its last such 等 into X and the group Y when:

    * the 等 is not part of a word: not after 高 中 初 上 下 同 平 对 均 相 一 二 三 … (高等, 中等, 同等, 一等) nor
      before 级 于 同 待 候 额 … (等级, 等于);
    * Y is group-like: it starts with 市 省 县 区 各 有关 相关 行业 其他 全市 所属 直属 … or ends in 单位 部门 机关
      院校 企业 机构 组织 主体.

    So "市税务局等市有关单位" gives 市税务局 and 市有关单位, "市生态环境局等行业主管部门" gives 市生态环境局 and
    行业主管部门, while 各高等院校, 中等职业学校 and 高等教育 stay whole. A group that only repeats what the list is
    (等单位, 等部门) or counts it (等3家单位, 等五部门) is left out; so is a 等 that ends a piece ("A、B等").
    An empty X leaves the group alone ("等有关单位" → 有关单位).
    """
    return [value for kind, value in _events(_set_aside(text)[0]) if kind == _NAME]


def parse_responsibility(text: str) -> Roles:
    """The roles one 责任单位 cell gives, with each name as written; names that no role word follows implement.

    A sentence of instruction (after 。, holding 以下, 均需, 不再一一列出 …) is returned as a note, and a phrase
    labelled with another field (完成时限：长期坚持) in `fields`; neither is read for units.
    """
    units, notes, fields = _set_aside(text)
    return _roles(_assign(_events(units), NAMED))._replace(notes=notes, fields=fields)


def _set_aside(text: str) -> tuple[str, tuple[str, ...], tuple[tuple[Field, str], ...]]:
    """The text of units, with the sentences of instruction and the labelled phrases of other fields taken out."""
    if "。" not in text and "：" not in text and ":" not in text:
        return text, (), ()
    mask = _inside(text, _pairs(text))
    kept: list[str] = []
    notes: list[str] = []
    fields: list[tuple[Field, str]] = []
    start = 0
    for i in range(len(text) + 1):
        if i < len(text) and (mask[i] or text[i] not in "。；;"):
            continue
        clause = _trim(text[start:i])
        start = i + 1
        bare = _trim(clause.strip("（()）"))
        label, colon, value = bare.partition("：") if "：" in bare else bare.partition(":")
        field = field_names().get(_trim(label)) if colon else None
        if field is not None and field not in _RANK:
            fields.append((field, _trim(value)))
        elif kept and any(word in bare for word in INSTRUCTION_WORDS):
            notes.append(bare)
        elif clause:
            kept.append(clause)
    return "；".join(kept), tuple(notes), tuple(fields)


def parse_columns(lead: str | None = None, support: str | None = None, named: str | None = None) -> Roles:
    """The roles of a table that prints 牵头部门, 配合部门 and 责任科室 in columns of their own.

    Each cell is a list of names in its column's role; a role word or label within a cell still applies, and a
    name found in two columns keeps the stronger role.
    """
    assigned: list[tuple[str, str]] = []
    for cell, role in ((lead, LEAD), (named, NAMED), (support, SUPPORT)):
        if cell:
            assigned += _assign(_events(_set_aside(cell)[0]), role)
    return _roles(assigned)


def aliases_in(name: str) -> tuple[str, str] | None:
    """The two names in "市府办〔市大数据局〕": a name followed by another name for the same unit in brackets.

    Only a bracket group that ends the name counts, and only when its contents look like a unit name on their
    own (ending in 局, 委, 办, 厅, 处, 室, 科, 中心, 公司, 院, 会, 部, 站, 所 …, with no list separator inside and
    not starting with 含, 包括, 除 …). "各县（市、区）政府" is one name: its bracket is followed by more text.
    """
    name = _trim(name)
    start = _trailing_group(name)
    if start is None or start == 0:
        return None
    base, inner = _trim(name[:start]), _trim(name[start + 1 : -1])
    if not (_is_name(base) and _is_name(inner)) or inner.startswith(NOT_ALIAS_START):
        return None
    # A group has no alias, and a bracket of one or two characters (各镇(办)) adds members, not another name.
    if base.startswith(GROUP_WORDS) or len(inner) < 3:
        return None
    if any(char in _DELIMITERS or char.isspace() for char in inner):
        return None
    return (base, inner) if inner.endswith(BODY_ENDINGS) else None


def split_responsibility(text: str) -> tuple[list[str], list[str]]:
    """The names a 责任单位 text gives as leads, and all the others (implementing and supporting), as written."""
    roles = parse_responsibility(text)
    return list(roles.leads), [*roles.named, *roles.supports]


__all__ = [
    "Roles",
    "aliases_in",
    "parse_columns",
    "parse_responsibility",
    "split_names",
    "split_responsibility",
]
