"""The assessment bonuses and penalties a requirement states, read the way data/tasks.yaml records them.

A rule is a number of points in a clause that says 加 (a bonus) or 减/扣 (a penalty): 直接加5分, 按3分/篇予以加分,
扣2分, 每篇加3分. Its condition is quoted from the requirement: the clause that states the points, with the clause
before it when the scoring clause names no one of its own (", 在年度考评中直接加5分" follows who earns them), and a
cap that follows (最高不超过10分). Alternatives in a bracket (市直单位按0.5分/次；县区按0.2分/次) are one rule each,
with `who`. A number of points after 最高, 不超过, 满分 … is a cap or a total, never a rule of its own.
"""

from __future__ import annotations

import re
from typing import Any, Final

from .models import ScoringRule
from .vocabulary import SCORING_BONUS, SCORING_CAPS, SCORING_NO_SUBJECT, SCORING_PENALTY

_OPEN: Final = "（(《“【〔["
_CLOSE: Final = "）)》”】〕]"
_POINTS: Final = re.compile(r"(?<![0-9.])(?P<n>[0-9]+(?:\.[0-9]+)?)分(?:/(?P<per>[\u4e00-\u9fff]))?")
_EACH: Final = re.compile(r"每(?P<per>[篇次件条个项期家])")


def _split(text: str, delimiters: str) -> list[tuple[int, int]]:
    """The spans of `text` between `delimiters` outside brackets and quotes."""
    spans: list[tuple[int, int]] = []
    depth = start = 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif char in delimiters and not depth:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _verbs(words: tuple[str, ...]) -> str:
    return f"(?:{'|'.join(words)})(?:[0-9]|分)"


def _sign(text: str) -> int:
    """-1 for a penalty, 1 for a bonus, 0 where `text` says neither."""
    if re.search(_verbs(SCORING_PENALTY), text):
        return -1
    return 1 if re.search(_verbs(SCORING_BONUS), text) else 0


def _names_no_one(clause: str) -> bool:
    """Whether a scoring clause starts without saying who earns the points: 在考评中加5分, 扣2分."""
    return (
        clause.startswith(SCORING_NO_SUBJECT)
        or re.match(_verbs((*SCORING_BONUS, *SCORING_PENALTY)), clause) is not None
    )


def _is_cap(clause: str, at: int) -> bool:
    return any(word in clause[max(0, at - 6) : at] for word in SCORING_CAPS)


def _alternatives(clause: str) -> list[tuple[str, str | None]]:
    """The places of a clause that state points: each bracketed alternative with its `who`, else the clause."""
    found: list[tuple[str, str | None]] = []
    for m in re.finditer(r"[（(]([^（()）]*)[)）]", clause):
        parts = [p for p in re.split("[；;，,、]", m.group(1)) if _POINTS.search(p)]
        if len(parts) < 2:
            continue
        for part in parts:
            who = re.split(r"按|每|[0-9]|加|扣|减", part, maxsplit=1)[0].strip()
            found.append((part, who or None))
    return found or [(clause, None)]


def _rules_of_clause(clause: str, condition: str) -> list[ScoringRule]:
    rules = []
    for part, who in _alternatives(clause):
        for m in _POINTS.finditer(part):
            if _is_cap(part, m.start()):
                continue
            sign = _sign(part) or _sign(clause)
            if not sign:
                continue
            each = _EACH.search(part[: m.start()])
            per = m["per"] or (each["per"] if each else None)
            rules.append(ScoringRule(sign * float(m["n"]), condition, per, who))
    return rules


def rules_in(requirement: str) -> tuple[ScoringRule, ...]:
    """Every scoring rule `requirement` states, in text order, each with its condition quoted from it."""
    text = requirement.replace("\n", "")
    if "分" not in text:
        return ()
    rules: list[ScoringRule] = []
    for seg_start, seg_end in _split(text, "。；;！？"):
        segment = text[seg_start:seg_end]
        clauses = _split(segment, "，,")
        for k, (a, b) in enumerate(clauses):
            clause = segment[a:b]
            if not any(not _is_cap(clause, m.start()) for m in _POINTS.finditer(clause)):
                continue
            first = k
            while first > 0 and _names_no_one(segment[clauses[first][0] :]):
                first -= 1
            last = k
            while last + 1 < len(clauses) and segment[clauses[last + 1][0] :].startswith(SCORING_CAPS):
                last += 1
            condition = segment[clauses[first][0] : clauses[last][1]].strip()
            rules += _rules_of_clause(clause, condition)
    return tuple(rules)


def rule_entry(rule: ScoringRule) -> dict[str, Any]:
    """A rule as tasks.yaml writes it: points (a whole number where it is one), per and who where given, condition."""
    entry: dict[str, Any] = {"points": int(rule.points) if rule.points.is_integer() else rule.points}
    if rule.per is not None:
        entry["per"] = rule.per
    if rule.who is not None:
        entry["who"] = rule.who
    entry["condition"] = rule.condition
    return entry


__all__ = ["rule_entry", "rules_in"]
