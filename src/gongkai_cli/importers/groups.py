"""Names that read as groups (各乡镇, 市有关单位, 相关处室), written into units.yaml as groups with a guessed coverage.

A group owes nothing itself: its members do. So a guessed group gets the kinds of unit it stands for, read from
the words its name ends with (各乡镇人民政府 → township), narrowed to the kinds the roster has units of, and
`review: true`, so that its members owe the task in progress and the 台账 from the start while a person checks it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from ..vocabulary import (
    GROUP_KIND_LABELS,
    GROUP_LEVELS,
    GROUP_MEMBER_KINDS,
    GROUP_OPEN_WORDS,
    GROUP_RELEVANT_WORDS,
    GROUP_SUFFIXES,
    GROUP_WORDS,
)

# A group word standing alone before the members: 各, 有关, 相关 (and 所有, 全体).
_LEADING = tuple(sorted(GROUP_WORDS, key=len, reverse=True))
_LEVELS = tuple(sorted(GROUP_LEVELS, key=len, reverse=True))


def reads_as_group(name: str) -> bool:
    """Whether a name is written as a group: 各…, …有关…, 相关…, …各…, …等…单位."""
    if name.startswith(GROUP_WORDS) or "各" in name or "有关" in name or "相关" in name:
        return True
    return "等" in name and name.endswith(GROUP_SUFFIXES)


def _members_word(name: str) -> str:
    """The words a group's members are named by, its level and group words gone: 县直各单位 → 单位."""
    rest = name.rsplit("等", 1)[-1]
    changed = True
    while changed and rest:
        changed = False
        for prefix in (*_LEVELS, *_LEADING):
            if rest.startswith(prefix) and len(rest) > len(prefix):
                rest, changed = rest[len(prefix) :], True
                break
    return rest


def member_kinds(name: str, roster_kinds: Collection[str] = ()) -> tuple[str, ...]:
    """The kinds of unit a group's name says its members are; those the roster has units of when it has any."""
    word = _members_word(name)
    guessed: tuple[str, ...] = ()
    for words, kinds in GROUP_MEMBER_KINDS:
        if word in words:
            guessed = kinds
            break
    if not guessed and word.endswith("政府"):
        guessed = ("county",)
    if not guessed:
        for words, kinds in GROUP_MEMBER_KINDS:
            if word.endswith(words):
                guessed = kinds
                break
    present = tuple(kind for kind in guessed if kind in roster_kinds)
    return present or guessed


def group_entry(name: str, roster_kinds: Collection[str] = ()) -> dict[str, Any]:
    """The units.yaml entry of a guessed group: coverage, member_kinds, open_ended where the name says so."""
    relevant = any(word in name for word in GROUP_RELEVANT_WORDS)
    entry: dict[str, Any] = {"name": name, "coverage": "relevant" if relevant else "all"}
    entry["member_kinds"] = list(member_kinds(name, roster_kinds) or ("department",))
    if any(word in name for word in GROUP_OPEN_WORDS):
        entry["open_ended"] = True
    entry["review"] = True
    return entry


def kinds_to_declare(groups: Sequence[dict[str, Any]], declared: Collection[str]) -> list[dict[str, Any]]:
    """The kind definitions the guessed groups need that neither the built-in kinds nor the roster have."""
    needed: list[dict[str, Any]] = []
    for group in groups:
        for kind in group.get("member_kinds", ()):
            if kind in GROUP_KIND_LABELS and kind not in declared and all(k["name"] != kind for k in needed):
                label, endings = GROUP_KIND_LABELS[kind]
                needed.append({"name": kind, "label": label, "endings": list(endings)})
    return needed


__all__ = ["group_entry", "kinds_to_declare", "member_kinds", "reads_as_group"]
