"""The wording diff of two requirements: by clause, then by character inside each changed clause."""

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
    pieces: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace":
            pieces += _characters(before, after)
        else:
            pieces += [Segment("equal", before)] if tag == "equal" else []
            pieces += [Segment("delete", before)] if before and tag != "equal" else []
            pieces += [Segment("insert", after)] if after and tag != "equal" else []
    return tuple(_tidy(pieces))


def _characters(before: str, after: str) -> list[Segment]:
    pieces: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Segment("equal", before[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(Segment("delete", before[i1:i2]))
        if j2 > j1:
            pieces.append(Segment("insert", after[j1:j2]))
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


def markup(segments: Sequence[Segment], context: int = _CONTEXT) -> str:
    """A wording diff as one line: `…kept[-deleted-]{+inserted+}kept…`, long unchanged runs shortened."""
    parts = []
    last = len(segments) - 1
    for n, (op, text) in enumerate(segments):
        if op == "delete":
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
