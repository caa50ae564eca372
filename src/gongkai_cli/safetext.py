"""Characters that must never reach a terminal, a CI log or a spreadsheet as they are, and name comparison.

Data files are untrusted: a text may carry terminal escapes (ESC, BEL and the other C0/C1 controls), bidi
overrides that reorder what a reader sees, or zero-width characters that make two names look alike.
`check` rejects them in the data; every human-facing output still passes text through `visible`, so that
a user's own argument or a damaged file never drives the terminal either.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata

# C0 controls except the line feed, DEL, C1 controls; bidi embeddings, overrides, isolates and marks;
# zero-width and invisible joiners; the Unicode line and paragraph separators; the byte-order mark.
_UNSAFE_CLASS = "\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"


@functools.cache
def unsafe_pattern(*, newlines: bool = False) -> re.Pattern[str]:
    """The unsafe characters (and line feeds too with `newlines`), compiled on first use: a JSON answer needs none."""
    return re.compile(f"[{_UNSAFE_CLASS}\n]" if newlines else f"[{_UNSAFE_CLASS}]")


_NAMES = {
    "\t": "制表符",
    "\r": "回车符",
    "\x1b": "ESC 转义符",
    "\x07": "响铃符",
    "\x00": "空字符",
    "\u200b": "零宽空格",
    "\ufeff": "零宽不换行空格（BOM）",
}


def describe(char: str) -> str:
    """A Chinese name for an unsafe character, with its code point: 'ESC 转义符 U+001B'."""
    code = f"U+{ord(char):04X}"
    if char in _NAMES:
        return f"{_NAMES[char]} {code}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069" or char in "\u061c\u200e\u200f":
        return f"双向文字控制符 {code}"
    if "\u200b" <= char <= "\u200d" or "\u2060" <= char <= "\u2064":
        return f"零宽字符 {code}"
    return f"控制字符 {code}"


def _notation(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = True) -> str:
    """`text` with every unsafe character shown as an escape such as \\x1b (and line feeds too unless `newlines`)."""
    pattern = unsafe_pattern(newlines=not newlines)
    # The search first: almost every text is clean, and then no new string is built.
    return pattern.sub(_notation, text) if pattern.search(text) else text


def display_path(path: os.PathLike[str] | str) -> str:
    """A path as printable text: bytes that are not UTF-8 become \\xNN, unsafe characters are escaped; never raises."""
    try:
        text = os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a lone surrogate that no file system name decodes to
        text = os.fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")
    return visible(text, newlines=False)


def name_key(name: str) -> str:
    """How two names are compared for clashes: NFKC (full-width = ASCII), no whitespace or invisibles, case-folded."""
    flat = unsafe_pattern(newlines=True).sub("", unicodedata.normalize("NFKC", name))
    return "".join(flat.split()).casefold()


__all__ = ["describe", "display_path", "name_key", "unsafe_pattern", "visible"]
