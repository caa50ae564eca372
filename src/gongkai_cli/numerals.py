"""Chinese numerals as the table prints them (一 … 十一 … 九十九)."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, for 1 <= n <= 99."""
    if not 1 <= n <= 99:
        raise ValueError(f"no section numeral for {n}")
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return prefix + (_DIGITS[ones] if ones else "")


def from_chinese(text: str) -> int | None:
    """一 -> 1, 十一 -> 11, 二十 -> 20; None for anything that is not such a numeral."""
    return _VALUES.get(text)


_VALUES = {to_chinese(n): n for n in range(1, 100)}
