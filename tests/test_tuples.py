"""The NamedTuple that skips typing's per-annotation check: the same classes as typing.NamedTuple builds."""

from __future__ import annotations

import typing

import pytest

from gongkai_cli.models import Task, TimeLimit
from gongkai_cli.tuples import NamedTuple


class Point(NamedTuple):
    """A point."""

    x: int
    y: int = 0
    label: str | None = None

    def moved(self, by: int) -> Point:
        return self._replace(x=self.x + by)


class TypingPoint(typing.NamedTuple):
    x: int
    y: int = 0
    label: str | None = None


def test_a_class_behaves_as_typing_builds_it() -> None:
    point = Point(1)
    assert point == (1, 0, None) == TypingPoint(1)
    assert Point._fields == TypingPoint._fields == ("x", "y", "label")
    assert Point._field_defaults == TypingPoint._field_defaults == {"y": 0, "label": None}
    assert point.moved(2) == Point(3) and isinstance(point.moved(2), Point)
    assert Point.__doc__ == "A point." and Point.__module__ == __name__ and Point.__qualname__ == "Point"
    assert Point.__annotations__ == {"x": "int", "y": "int", "label": "str | None"}
    assert typing.get_type_hints(Point) == typing.get_type_hints(TypingPoint)
    assert Point._make([4, 5, "a"])._asdict() == {"x": 4, "y": 5, "label": "a"}


def test_it_refuses_what_typing_refuses() -> None:
    with pytest.raises(TypeError, match="without a default"):

        class Bad(NamedTuple):
            x: int = 0
            y: int

    with pytest.raises(AttributeError, match="_make"):

        class Overwrites(NamedTuple):
            x: int

            def _make(self) -> None: ...

    with pytest.raises(TypeError, match="class syntax"):
        NamedTuple("Point", [("x", int)])


def test_pydantic_validates_the_models_from_their_postponed_annotations() -> None:
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(Task)
    task = adapter.validate_python({"requirement": "公开目录。", "time_limit": "9月底前", "number": 3})
    assert task.number == 3 and task.time_limit == TimeLimit("9月底前")
    with pytest.raises(ValidationError) as refused:
        adapter.validate_python({"requirement": "", "time_limit": "9月底前", "number": "3"})
    assert {error["loc"] for error in refused.value.errors()} == {("requirement",), ("number",)}


def test_arguments_are_taken_as_typing_takes_them() -> None:
    import copy
    import pickle

    assert Point(1, label="a") == (1, 0, "a") == TypingPoint(1, label="a")
    assert Point(y=2, x=1) == (1, 2, None)
    assert repr(Point(1, label="a")) == repr(TypingPoint(1, label="a")).replace("TypingPoint", "Point")
    assert Point.__match_args__ == ("x", "y", "label")
    assert pickle.loads(pickle.dumps(Point(1))) == Point(1) and copy.copy(Point(1, 2)) == Point(1, 2)
    assert Point.x.__doc__ == TypingPoint.x.__doc__ == "Alias for field number 0"
    for call, error in [
        (lambda: Point(), "missing required arguments: 'x'"),
        (lambda: Point(1, 2, "a", 4), "takes 3 arguments but 4 were given"),
        (lambda: Point(1, x=2), "multiple values for argument 'x'"),
        (lambda: Point(1, z=2), "unexpected keyword argument 'z'"),
        (lambda: Point._make([1]), "Expected 3 arguments, got 1"),
        (lambda: Point(1)._replace(z=2), "unexpected field names: \\['z'\\]"),
    ]:
        with pytest.raises((TypeError, ValueError), match=error):
            call()
