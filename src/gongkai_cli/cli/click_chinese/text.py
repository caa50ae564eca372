"""Help text in Chinese: paragraphs joined and wrapped by terminal cells, with no space between Chinese words."""

from __future__ import annotations

from collections.abc import Iterable

from ...linebreak import cell_width, wrap

# Chinese punctuation a terminal draws one cell wide.
_CJK_NARROW = frozenset("“”‘’…—·")


def is_cjk(ch: str) -> bool:
    return not ch.isascii() and (cell_width(ch) == 2 or ch in _CJK_NARROW)


def has_cjk(text: str) -> bool:
    return any(map(is_cjk, text))


def join_lines(lines: Iterable[str]) -> str:
    """The lines of a paragraph as one: stripped, joined with a space between ASCII words only."""
    text = ""
    for line in lines:
        text = _join(text, line.strip())
    return text


def _join(left: str, right: str) -> str:
    """Join two pieces of a sentence: a space between ASCII words, none where either side is Chinese."""
    if not left or not right:
        return left + right
    if is_cjk(left[-1]) or is_cjk(right[0]) or left[-1] == " " or right[0] == " ":
        return left + right
    return f"{left} {right}"


def spaced(left: str, right: str) -> str:
    """Join Chinese text and an ASCII term with a space between them, as in 选项 --format 的值."""
    if left and right and (left[-1].isascii() != right[0].isascii()) and " " not in (left[-1], right[0]):
        return f"{left} {right}"
    return left + right


def fill(text: str, width: int) -> list[str]:
    """Wrap help text into lines of at most `width` cells.

    Paragraphs are separated by blank lines; the lines of a paragraph are joined (without a space between
    Chinese text) and rewrapped, keeping the paragraph's indentation. A paragraph whose first line is only
    "\\b" keeps its lines as written: a heading line (示例：) is wrapped to the width if it must be, and each
    command line after it is laid out by `example_lines`, never wrapped.
    """
    width = max(width, 2)
    paragraphs: list[tuple[int, bool, list[str]]] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            raw = buf[0].strip() == "\b"
            indent = len(buf[0]) - len(buf[0].lstrip(" "))
            paragraphs.append((indent, raw, buf[1:] if raw else buf[:]))
            buf.clear()

    for line in text.expandtabs().splitlines():
        if line.strip():
            buf.append(line.rstrip())
        else:
            flush()
    flush()
    lines: list[str] = []
    for indent, raw, paragraph in paragraphs:
        if lines:
            lines.append("")
        if raw:
            for line in paragraph:
                if has_cjk(line.split()[0]):
                    lines.extend(wrap(line, width))
                else:
                    lines.extend(example_lines(line, width))
            continue
        indent = min(indent, width // 2)
        lines.extend(" " * indent + line for line in wrap(join_lines(paragraph), width - indent))
    return lines


def _example_groups(words: list[str]) -> list[str]:
    """The words of a command line in the groups a line may not split: the program and its command
    (gongkai tables), and each option with its value (-f md)."""
    groups: list[str] = []
    for k, word in enumerate(words):
        follows_option = k > 0 and words[k - 1].startswith("-") and not word.startswith("-")
        if groups and (k == 1 or follows_option):
            groups[-1] += f" {word}"
        else:
            groups.append(word)
    return groups


def example_lines(line: str, width: int) -> list[str]:
    """A command line of an example, whole if it fits, else continued with " \\" on lines at its indent.

    Lines break only between groups (see `_example_groups`); a group wider than the room stands whole on a
    line of its own, so that a pasted example still runs as written.
    """
    if cell_width(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip(" ")))
    lines: list[str] = []
    current = ""
    for group in _example_groups(line.split()):
        candidate = f"{current} {group}" if current else group
        if not current or cell_width(f"{indent}{candidate} \\") <= width:
            current = candidate
        else:
            lines.append(f"{indent}{current} \\")
            current = group
    lines.append(indent + current)
    # The last group may fit after all on the line above, where it needs no " \\".
    if len(lines) > 1 and cell_width(f"{lines[-2][:-2]} {current}") <= width:
        lines[-2:] = [f"{lines[-2][:-2]} {current}"]
    return lines


def wrap_words(text: str, width: int) -> list[str]:
    """Wrap at spaces only (a usage line, option names); a word wider than the line is wrapped on its own."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if cell_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if cell_width(word) <= width:
            current = word
        else:
            *heads, current = wrap(word, max(width, 2))
            lines.extend(heads)
    if current or not lines:
        lines.append(current)
    return lines


__all__ = ["example_lines", "fill", "has_cjk", "is_cjk", "join_lines", "spaced", "wrap_words"]
