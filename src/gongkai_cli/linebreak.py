"""Line breaking for mixed Chinese and ASCII text, measured in terminal cells.

A wide character (East Asian width W or F, which covers CJK ideographs and full-width punctuation) takes two
cells, a combining mark or other zero-width character none, anything else one.

`wrap` follows the usual Chinese line-breaking rules (禁则):

- a line may break between two CJK characters, after CJK punctuation, between CJK and ASCII text, and at
  ASCII spaces (the spaces at a break are dropped);
- a run of ASCII characters without spaces (a word, a number, a date such as 2024-05-31, an option such as
  --before, a file ending such as .xlsx) is never split, and a number stays with the CJK character after it
  (2024年, 9月, 44项), as does 年/月/第 with the number after it, so 2024年5月 stays whole, and a number
  stays with the CJK word before it across one space where it can (负责 0);
- no line starts with closing punctuation (，。、；：！？）》」… and ASCII ,.;:!?)]} and the like) and no
  line ends with an opening bracket (（《「“ and ASCII ([{): a closing mark is glued to what precedes it and an
  opening bracket to what follows, so the character before a closing mark moves down with it; a . or : that
  starts an ASCII word (.xlsx after CJK text or a space) opens that word instead;
- a numbered label such as 二（一） is one unit, and so is each common term of UNBROKEN_TERMS (管委会, 牵头);
- a paragraph does not end with a line of one or two characters when moving the last break back avoids it.

With `names`, the text is a list of names joined by 、，； (a 责任单位 cell): lines break after a separator or
before a bracketed note such as （牵头）, never inside a name.

Only when a single unit is wider than the line is it split, as a last resort, still within the width.
The module uses no regular expressions and imports nothing but `unicodedata` and `itertools`.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

__all__ = ["UNBROKEN_TERMS", "cell_width", "longest_word", "wrap"]

# May not start a line: closing brackets and quotes, sentence and clause punctuation, percent signs, dashes.
_CLOSE = frozenset("，。、；：！？）》」』】〕〉〗〙〛］｝｠｣＞”’…‥—–～％‰·・,.;:!?)]}%")
# May not end a line: opening brackets and quotes.
_OPEN = frozenset("（《「『【〔〈〖〘〚［｛｟｢＜“‘([{")
# Chinese punctuation a terminal draws one cell wide (East Asian width "ambiguous"): it breaks like CJK text,
# not like part of an ASCII word.
_CJK_NARROW = frozenset("“”‘’…‥—–·")
# Numerals of a label such as 二（一） or 3（2）.
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万两0123456789")
_LABEL_OPEN = frozenset("（(")
_LABEL_CLOSE = frozenset("）)")
# Characters that stay with a number after them: 2024年5月, 第3项.
_BEFORE_NUMBER = frozenset("年月第")
# A . or : that starts an ASCII word (.xlsx, :memory:) rather than closing the text before it.
_WORD_OPENERS = frozenset(".:")
# What separates the names of a list such as 市政务公开办（牵头）、市司法局；管委会.
_NAME_SEPARATORS = frozenset("、，；,;")

# Common terms of the tables and the help that a line never breaks inside, unless the term alone is wider
# than the line. A short list of words, not a segmenter: each entry must read as one word wherever it occurs.
UNBROKEN_TERMS = (
    "管委会",
    "办公室",
    "政府",
    "部门",
    "行业主管部门",
    "单位",
    "县区",
    "牵头",
    "配合",
    "负责",
    "落实",
    "必填",
    "可选",
    "默认",
    "个月",
    "解读",
    "政务",
    "公开",
    "截止",
    "日期",
    "时限",
    "名册",
    "统称",
    "各单位",
    "有关单位",
    "截止日期",
    "任务编号",
    "配合单位",
    "报送",
    "编号",
    "考评",
    "加减分",
)

_NARROW = 1  # one cell, part of an ASCII-like run
_WIDE = 2  # CJK character or CJK punctuation: its own unit

_width_cache: dict[str, int] = {}


def _char_width(ch: str) -> int:
    width = _width_cache.get(ch)
    if width is None:
        code = ord(ch)
        if code < 0x300:
            width = 1
        elif 0x4E00 <= code <= 0x9FFF:
            width = 2
        elif unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            width = 0
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width = 2
        else:
            width = 1
        _width_cache[ch] = width
    return width


def cell_width(text: str) -> int:
    """The number of terminal cells `text` takes: 2 per wide (CJK) character, 0 per combining mark."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def wrap(text: str, width: int, *, names: bool = False, balance: bool = True) -> list[str]:
    """Break `text` into lines of at most `width` cells; each "\\n" in `text` is a hard break.

    Lines carry no trailing spaces; spaces inside a line are kept as written and none are added. With `names`,
    `text` is a list of names joined by 、，； and no name is split unless it alone is wider than `width`.
    Without `balance`, a short last line is left as it falls (for text that is cut after a few lines).
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.expandtabs().rstrip(" \r")
        if len(line) * 2 <= width or (line.isascii() and len(line) <= width):
            lines.append(line)
        else:
            lines.extend(_wrap_line(line, width, names, balance))
    return lines


def longest_word(text: str, *, names: bool = False) -> int:
    """The width in cells of the widest part of `text` that `wrap` keeps whole (a word, a date, a name).

    With `names`, a name's note such as （牵头） counts apart from the name, since it may go to the next line.
    """
    widest = 0
    for line in text.split("\n"):
        line = line.expandtabs().rstrip(" \r")
        for start, end, width, _, soft in _segments(line, names) if line else ():
            if names and soft:
                cuts = [start, *(start + offset for offset, rule in soft if rule == _PREFERRED), end]
                width = max(cell_width(line[a:b].strip(" ")) for a, b in pairwise(cuts))
            widest = max(widest, width)
    return widest


def _glued_labels(s: str) -> set[int]:
    """Indices of the characters inside labels like 二（一）, which no line may start with."""
    glued: set[int] = set()
    n = len(s)
    for k, ch in enumerate(s):
        if ch not in _LABEL_OPEN or k == 0 or s[k - 1] not in _NUMERALS:
            continue
        end = k + 1
        while end < n and s[end] in _NUMERALS:
            end += 1
        if end == k + 1 or end == n or s[end] not in _LABEL_CLOSE:
            continue
        start = k - 1
        while start > 0 and s[start - 1] in _NUMERALS:
            start -= 1
        glued.update(range(start + 1, end + 1))
    return glued


def _inside_terms(s: str) -> set[int]:
    """Indices of the characters inside a term of UNBROKEN_TERMS (not its first), before which no line breaks."""
    inside: set[int] = set()
    for term in UNBROKEN_TERMS:
        k = s.find(term)
        while k >= 0:
            inside.update(range(k + 1, k + len(term)))
            k = s.find(term, k + 1)
    return inside


# How a line may break between two characters: never; as a last resort, preferably (2024年|5月, 二|（一）) or
# only when nothing else fits (2024|年, 5|月); or freely.
_NEVER, _PREFERRED, _RELUCTANT, _BREAK = 0, 1, 2, 3

# An unbreakable segment of a line: start, end (its trailing spaces excluded), width, the number of spaces
# before it, and the offsets inside it where it may break as a last resort, with their rule.
_Segment = tuple[int, int, int, int, list[tuple[int, int]]]


def _is_count(s: str, i: int) -> bool:
    """Whether `s` holds a count at `i`: one to four digits, then no other ASCII word character or hyphen."""
    end = i
    while end < len(s) and end - i <= 4 and s[end].isascii() and s[end].isdigit():
        end += 1
    return 0 < end - i <= 4 and (end == len(s) or not (s[end].isascii() and (s[end].isalnum() or s[end] in "-/.:")))


def _segments(s: str, names: bool) -> list[_Segment]:
    """Cut one line (without line breaks or trailing spaces) into the segments no line may break inside."""
    glued = _glued_labels(s) if ("（" in s or "(" in s) else ()
    terms = _inside_terms(s)
    widths = _width_cache
    segments: list[_Segment] = []
    seg_start = 0  # the segment being built starts here ...
    seg_width = 0  # ... is this wide so far, its trailing spaces excluded ...
    lead_width = 0  # ... and follows this many spaces
    soft: list[tuple[int, int]] = []  # offsets inside it where it may break as a last resort
    pending = 0  # spaces seen since the last non-space character
    prev = ""  # the last non-space character
    prev_kind = 0  # its kind: _NARROW or _WIDE (0 before the first one)
    n = len(s)
    for i in range(n):
        ch = s[i]
        if ch == " ":
            pending += 1
            continue
        w = widths.get(ch) or _char_width(ch)
        if w == 0:  # a combining mark stays with its base character
            seg_width += pending
            pending = 0
            continue
        kind = _WIDE if (w == 2 or ch in _CJK_NARROW) else _NARROW
        closing = ch in _CLOSE
        if (
            closing
            and ch in _WORD_OPENERS
            and (pending or prev_kind == _WIDE)
            and i + 1 < n
            and s[i + 1].isascii()
            and s[i + 1].isalnum()
        ):
            closing = False  # .xlsx after CJK text: the start of a word, not a full stop
        if not prev_kind or closing or prev in _OPEN:
            rule = _NEVER
        elif pending:
            # A count after its label across one space (负责 0, 共 44 项) stays with it where it can; a date or
            # any longer ASCII word after a label (截止日期 2024-05-31) may still start a line.
            rule = (
                _RELUCTANT if pending == 1 and prev_kind == _WIDE and prev not in _CLOSE and _is_count(s, i) else _BREAK
            )
        elif glued and i in glued:
            rule = _PREFERRED if ch in _LABEL_OPEN else _RELUCTANT
        elif prev_kind == _NARROW:
            if kind == _NARROW:
                rule = _NEVER  # inside an ASCII run
            elif prev.isdigit() and ch not in _OPEN and ch not in _CJK_NARROW:
                rule = _RELUCTANT  # a number and the CJK character after it: 2024年, 9月
            else:
                rule = _BREAK
        elif kind == _NARROW and ch.isdigit() and prev in _BEFORE_NUMBER:
            rule = _PREFERRED  # 年5月, 第3项
        else:
            rule = _BREAK
        if rule == _BREAK and not pending:
            if names:
                # Between names freely; before a name's note such as （牵头） when the two do not fit a line
                # together; inside a name only as a last resort, and never inside a common term.
                if prev in _NAME_SEPARATORS:
                    pass
                elif ch in _OPEN:
                    rule = _PREFERRED
                elif i in terms:
                    rule = _NEVER
                else:
                    rule = _RELUCTANT
            elif i in terms:
                rule = _RELUCTANT
        if rule == _BREAK:
            if i:
                segments.append((seg_start, i - pending, seg_width, lead_width, soft))
            seg_start = i
            seg_width = w
            lead_width = pending
            soft = []
        else:
            if rule != _NEVER:
                soft.append((i - seg_start, rule))
            seg_width += pending + w
        pending = 0
        prev = ch
        prev_kind = kind
    segments.append((seg_start, n - pending, seg_width, lead_width, soft))
    return segments


def _wrap_line(s: str, width: int, names: bool, balance: bool) -> list[str]:
    """Wrap one line (without line breaks or trailing spaces).

    A last line of one or two characters is then avoided by moving the break before it back: the last two lines
    share their text, each keeping at least three characters, or failing that the last one gains some. No
    segment is split for it.
    """
    lines, last_start = _place(s, _segments(s, names), width)
    orphan = _characters(lines[-1]) if len(lines) > 1 and balance else 3
    if orphan > 2:
        return lines
    tail = s[last_start:]
    segments = _segments(tail, names)
    better: list[str] = []
    for narrower in range(cell_width(lines[-2]) - 1, max(segment[2] for segment in segments) - 1, -1):
        balanced, _ = _place(tail, segments, narrower)
        if len(balanced) != 2 or _characters(balanced[0]) <= 2:
            break
        if _characters(balanced[1]) > 2:
            return [*lines[:-2], *balanced]
        if not better and _characters(balanced[1]) > orphan:
            better = balanced
    return [*lines[:-2], *better] if better else lines


def _characters(line: str) -> int:
    return len(line) - line.count(" ")


def _place(s: str, segments: list[_Segment], width: int) -> tuple[list[str], int]:
    """Place the segments greedily: each on the current line if it fits there, else at the start of the next.

    Returns the lines and where in `s` the last two of them start. A line is always a slice of `s`, so nothing
    but the spaces at a break is ever dropped or added.
    """
    lines: list[str] = []
    starts: list[int] = []
    line_start = line_end = 0  # the current line is s[line_start:line_end]
    line_width = 0
    for seg_start, seg_end, seg_width, lead_width, soft in segments:
        if line_end > line_start and line_width + lead_width + seg_width <= width:
            line_end = seg_end
            line_width += lead_width + seg_width
        elif seg_width <= width:
            if line_end > line_start:
                lines.append(s[line_start:line_end])
                starts.append(line_start)
            line_start, line_end, line_width = seg_start, seg_end, seg_width
        else:
            # Wider than a whole line: break it where it may break as a last resort, then anywhere.
            text = s[seg_start:seg_end]
            has_line = line_end > line_start
            pieces = _split_over_wide(text, soft, width, width - line_width - lead_width if has_line else None)
            if not has_line:
                lines.append(pieces[0])
                starts.append(seg_start)
            elif pieces[0]:
                lines.append(s[line_start:seg_start] + pieces[0])
                starts.append(line_start)
            else:
                lines.append(s[line_start:line_end])
                starts.append(line_start)
            offset = seg_start + len(pieces[0])
            for piece in pieces[1:-1]:
                offset = s.index(piece, offset)
                lines.append(piece)
                starts.append(offset)
                offset += len(piece)
            # The last piece stays open as the current line: keep it as a slice of s.
            line_end = seg_end
            line_start = seg_end - len(pieces[-1])
            line_width = cell_width(pieces[-1])
    if line_end > line_start:
        lines.append(s[line_start:line_end])
        starts.append(line_start)
    return lines, starts[-2] if len(starts) > 1 else 0


def _split_over_wide(text: str, soft: list[tuple[int, int]], width: int, room: int | None) -> list[str]:
    """Break a segment wider than `width` into lines.

    The first line goes on the end of the current line, which has `room` cells left; it is empty when no
    preferred break fits there. With `room` None the segment starts a line of its own. A line breaks at the
    furthest preferred offset that fits, else at the furthest reluctant one, else after a - / . : of an ASCII
    run, else between any two characters.
    """
    lines: list[str] = []
    start = 0
    cap = width if room is None else room
    fresh = room is None
    while True:
        if cell_width(text[start:]) <= cap:
            lines.append(text[start:])
            return lines
        preferred = reluctant = 0
        for offset, rule in soft:
            if offset <= start:
                continue
            if cell_width(text[start:offset]) > cap:
                break
            if rule == _PREFERRED:
                preferred = offset
            else:
                reluctant = offset
        cut = preferred or (reluctant if fresh else 0)
        if not cut:
            if not fresh:
                lines.append("")
                fresh = True
                cap = width
                continue
            cut = start + _cut(text[start:], width)
        lines.append(text[start:cut].rstrip(" "))
        start = cut
        while text[start] == " ":
            start += 1
        fresh = True
        cap = width


def _cut(piece: str, width: int) -> int:
    """Where to cut `piece` so that its head fits `width` cells (at least one character)."""
    used = 0
    cut = 0
    for k, ch in enumerate(piece):
        used += _char_width(ch)
        if used > width:
            break
        cut = k + 1
    cut = max(cut, 1)
    for k in range(cut, cut // 2, -1):
        if piece[k - 1] in "-/.:":
            return k
    return cut
