"""Line breaking for mixed Chinese and ASCII text, measured in terminal cells.

A wide character (East Asian width W or F, which covers CJK ideographs and full-width punctuation) takes two
cells, a combining mark or other zero-width character none, anything else one.

`wrap` follows the usual Chinese line-breaking rules (禁则):

- a line may break between two CJK characters, after CJK punctuation, between CJK and ASCII text, and at
  ASCII spaces (the spaces at a break are dropped);
- a run of ASCII characters without spaces (a word, a number, a date such as 2024-05-31, an option such as
  --before) is never split, and a number stays with the CJK character after it (2024年, 9月, 44项), as does
  年/月/第 with the number after it, so 2024年5月 stays whole;
- no line starts with closing punctuation (，。、；：！？）》」… and ASCII ,.;:!?)]} and the like) and no
  line ends with an opening bracket (（《「“ and ASCII ([{): a closing mark is glued to what precedes it and an
  opening bracket to what follows, so the character before a closing mark moves down with it;
- a numbered label such as 二（一） is one unit.

Only when a single unit is wider than the line is it split, as a last resort, still within the width.
The module uses no regular expressions and imports nothing but `unicodedata`.
"""

from __future__ import annotations

import unicodedata

__all__ = ["cell_width", "wrap"]

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


def wrap(text: str, width: int) -> list[str]:
    """Break `text` into lines of at most `width` cells; each "\\n" in `text` is a hard break.

    Lines carry no trailing spaces; spaces inside a line are kept as written and none are added.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.expandtabs().rstrip(" \r")
        if len(line) * 2 <= width or (line.isascii() and len(line) <= width):
            lines.append(line)
        else:
            lines.extend(_wrap_line(line, width))
    return lines


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


# How a line may break between two characters: never; as a last resort, preferably (2024年|5月, 二|（一）) or
# only when nothing else fits (2024|年, 5|月); or freely.
_NEVER, _PREFERRED, _RELUCTANT, _BREAK = 0, 1, 2, 3


def _wrap_line(s: str, width: int) -> list[str]:
    """Wrap one line (without line breaks or trailing spaces) greedily.

    One pass finds the unbreakable segments and places each as soon as it is complete: on the current line
    if it fits there, else at the start of the next. A line is always a slice of `s`, so nothing but the
    spaces at a break is ever dropped or added.
    """
    glued = _glued_labels(s) if ("（" in s or "(" in s) else ()
    widths = _width_cache
    lines: list[str] = []
    line_start = line_end = 0  # the current line is s[line_start:line_end]
    line_width = 0
    seg_start = 0  # the segment being built starts here ...
    seg_width = 0  # ... is this wide so far, its trailing spaces excluded ...
    lead_width = 0  # ... and follows this many spaces
    soft: list[tuple[int, int]] = []  # offsets inside it where it may break as a last resort
    pending = 0  # spaces seen since the last non-space character
    prev = ""  # the last non-space character
    prev_kind = 0  # its kind: _NARROW or _WIDE (0 before the first one)
    n = len(s)
    for i in range(n + 1):
        if i < n:
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
            if not prev_kind or ch in _CLOSE or prev in _OPEN:
                rule = _NEVER
            elif pending:
                rule = _BREAK
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
            if rule != _BREAK:
                if rule != _NEVER:
                    soft.append((i - seg_start, rule))
                seg_width += pending + w
                pending = 0
                prev = ch
                prev_kind = kind
                continue
        # The segment s[seg_start:seg_end] is complete: place it.
        seg_end = i - pending
        if line_end > line_start and line_width + lead_width + seg_width <= width:
            line_end = seg_end
            line_width += lead_width + seg_width
        elif seg_width <= width:
            if line_end > line_start:
                lines.append(s[line_start:line_end])
            line_start, line_end, line_width = seg_start, seg_end, seg_width
        else:
            # Wider than a whole line: break it where it may break as a last resort, then anywhere.
            text = s[seg_start:seg_end]
            has_line = line_end > line_start
            pieces = _split_over_wide(text, soft, width, width - line_width - lead_width if has_line else None)
            if not has_line:
                lines.append(pieces[0])
            elif pieces[0]:
                lines.append(s[line_start:seg_start] + pieces[0])
            else:
                lines.append(s[line_start:line_end])
            lines.extend(pieces[1:-1])
            # The last piece stays open as the current line: keep it as a slice of s.
            line_end = seg_end
            line_start = seg_end - len(pieces[-1])
            line_width = cell_width(pieces[-1])
        if i < n:
            seg_start = i
            seg_width = w
            lead_width = pending
            soft = []
            pending = 0
            prev = ch
            prev_kind = kind
    if line_end > line_start:
        lines.append(s[line_start:line_end])
    return lines


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
