"""The wording diff of two requirements: by clause, then by character inside each changed clause.

Both comparisons take time that grows with the product of the two lengths, so each is bounded: clauses are compared
while the product of the clause counts stays within a budget, characters while the products of the changed runs
(common ends trimmed first, which costs nothing) stay within another. Past the budget a changed run is a plain
deletion and insertion, which `markup` shows as one reworded passage rather than tens of thousands of characters.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Literal

from ..tuples import NamedTuple


def text_key(text: str) -> str:
    """A requirement as matching and the wording diff compare it: without whitespace (line breaks are layout)."""
    return "".join(text.split())


Op = Literal["equal", "delete", "insert"]


class Segment(NamedTuple):
    """A piece of a wording diff: text kept, deleted from the old requirement or inserted in the new one."""

    op: Op
    text: str


_CLAUSE = re.compile(r"[^，。；]*[，。；]?")
# An unchanged run this short between two changes reads better as part of them.
_SHORT_EQUAL = 2
# How many unchanged characters the marked-up string keeps on each side of a change.
_CONTEXT = 8
# Bounds on the work of one wording diff, as products of lengths (a few hundredths of a second at most):
# clause counts for the comparison by clause, characters of the changed runs for the comparison by character.
CLAUSE_BUDGET = 250_000
CHARACTER_BUDGET = 250_000


def clauses(text: str) -> list[str]:
    """A text cut after each ，。；, the punctuation kept with its clause."""
    return [c for c in _CLAUSE.findall(text) if c]


def wording_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The change from one requirement to another: by clause, then by character inside each changed clause.

    Whitespace is ignored. Empty when the texts are the same.
    """
    a_text, b_text = text_key(old), text_key(new)
    if a_text == b_text:
        return ()
    a, b = clauses(a_text), clauses(b_text)
    if len(a) * len(b) > CLAUSE_BUDGET:
        a, b = [a_text], [b_text]
    pieces: list[Segment] = []
    budget = [CHARACTER_BUDGET]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace":
            pieces += _characters(before, after, budget)
        else:
            pieces += [Segment("equal", before)] if tag == "equal" else []
            pieces += [Segment("delete", before)] if before and tag != "equal" else []
            pieces += [Segment("insert", after)] if after and tag != "equal" else []
    return tuple(_tidy(pieces))


def _common_length(a: str, b: str) -> int:
    """How many characters `a` and `b` share at their start."""
    return next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _characters(before: str, after: str, budget: list[int]) -> list[Segment]:
    """Two changed runs compared by character, their common ends first; `budget` ([what is left]) pays for the rest."""
    head = _common_length(before, after)
    tail = _common_length(before[head:][::-1], after[head:][::-1])
    old, new = before[head : len(before) - tail], after[head : len(after) - tail]
    pieces = [Segment("equal", before[:head])] if head else []
    cost = len(old) * len(new)
    if cost > budget[0]:
        pieces += [Segment("delete", old)] if old else []
        pieces += [Segment("insert", new)] if new else []
    else:
        budget[0] -= cost
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag == "equal":
                pieces.append(Segment("equal", old[i1:i2]))
                continue
            if i2 > i1:
                pieces.append(Segment("delete", old[i1:i2]))
            if j2 > j1:
                pieces.append(Segment("insert", new[j1:j2]))
    pieces += [Segment("equal", before[len(before) - tail :])] if tail else []
    return pieces


def _tidy(pieces: list[Segment]) -> list[Segment]:
    """Absorb one-character matches between changes into them, then merge neighbours: deletions before insertions."""
    spread: list[Segment] = []
    for n, piece in enumerate(pieces):
        inner = 0 < n < len(pieces) - 1
        if piece.op == "equal" and inner and len(piece.text) < _SHORT_EQUAL:
            spread += [Segment("delete", piece.text), Segment("insert", piece.text)]
        else:
            spread.append(piece)
    merged: list[Segment] = []
    run: list[Segment] = []

    def flush() -> None:
        for op in ("delete", "insert"):
            text = "".join(p.text for p in run if p.op == op)
            if text:
                merged.append(Segment(op, text))
        run.clear()

    for piece in spread:
        if piece.op == "equal":
            flush()
            if merged and merged[-1].op == "equal":
                merged[-1] = Segment("equal", merged[-1].text + piece.text)
            else:
                merged.append(piece)
        else:
            run.append(piece)
    flush()
    return merged


def _reworded(deleted: str, inserted: str) -> str:
    """A passage too long to mark character by character, shown by its lengths."""
    return f"〔整段改写，过长未逐字比较：原 {len(deleted)} 字，现 {len(inserted)} 字〕"


def markup(segments: Sequence[Segment], context: int = _CONTEXT) -> str:
    """A wording diff as one line: `…kept[-deleted-]{+inserted+}kept…`, long unchanged runs shortened.

    A deletion and insertion together longer than the comparison by character takes is one reworded passage.
    """
    parts = []
    last = len(segments) - 1
    too_long = {
        n
        for n in range(last)
        if segments[n].op == "delete"
        and segments[n + 1].op == "insert"
        and len(segments[n].text) * len(segments[n + 1].text) > CHARACTER_BUDGET
    }
    for n, (op, text) in enumerate(segments):
        if n in too_long:
            parts.append(_reworded(text, segments[n + 1].text))
        elif n - 1 in too_long:
            continue
        elif op == "delete":
            parts.append(f"[-{text}-]")
        elif op == "insert":
            parts.append(f"{{+{text}+}}")
        elif n == 0 and n != last:
            parts.append("…" + text[-context:] if len(text) > context else text)
        elif n == last and n != 0:
            parts.append(text[:context] + "…" if len(text) > context else text)
        elif n != 0:
            parts.append(text[:context] + "…" + text[-context:] if len(text) > 2 * context else text)
        else:
            parts.append(text)
    return "".join(parts)
