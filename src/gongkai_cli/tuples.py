"""`NamedTuple`, as typing spells it, built without compiling anything at import.

typing.NamedTuple turns every string annotation (all of them, under `from __future__ import annotations`) into a
ForwardRef, which compiles it; collections.namedtuple then compiles each class's `__new__` from source. On a
query's path some thirty record classes are built, and the compiling was most of their cost (about 4 % of a
query). This builds the same kind of class, a tuple with named fields and the namedtuple methods, from one shared
base whose `__new__` reads the class's fields; the annotations are kept as written, so pydantic (on the `check`
path) resolves them as it resolves any postponed annotation. Type checkers see typing.NamedTuple itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    import sys
    from operator import itemgetter

    try:
        from _collections import _tuplegetter  # the C field accessor collections.namedtuple uses
    except ImportError:  # pragma: no cover - Python builds without it

        def _tuplegetter(index: int, doc: str) -> property:
            return property(itemgetter(index), doc=doc)

    # What typing.NamedTuple refuses to overwrite, and what it leaves to the record class.
    _PROHIBITED = frozenset(
        {
            "__new__",
            "__init__",
            "__slots__",
            "__getnewargs__",
            "_fields",
            "_field_defaults",
            "_make",
            "_replace",
            "_asdict",
            "_source",
        }
    )
    _SPECIAL = frozenset({"__module__", "__name__", "__qualname__", "__annotations__"})
    _MISSING = object()

    class _Record(tuple):
        """What every record class shares: collections.namedtuple's methods, written once."""

        # Each record class sets _fields, _field_defaults and _defaults_in_place (the defaults aligned with
        # the fields, _MISSING where a field has none). No annotations here: typing.get_type_hints would count
        # them among every record's fields.
        __slots__ = ()

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            fields = cls._fields
            if not kwargs and len(args) == len(fields):
                return tuple.__new__(cls, args)
            if len(args) > len(fields):
                raise TypeError(f"{cls.__name__}() takes {len(fields)} arguments but {len(args)} were given")
            values = [*args, *cls._defaults_in_place[len(args) :]]
            for name, value in kwargs.items():
                try:
                    index = fields.index(name)
                except ValueError:
                    raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {name!r}") from None
                if index < len(args):
                    raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
                values[index] = value
            missing = [name for name, value in zip(fields, values, strict=True) if value is _MISSING]
            if missing:
                raise TypeError(f"{cls.__name__}() missing required arguments: {', '.join(map(repr, missing))}")
            return tuple.__new__(cls, values)

        @classmethod
        def _make(cls, iterable: Any) -> Any:
            result = tuple.__new__(cls, iterable)
            if len(result) != len(cls._fields):
                raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
            return result

        def _replace(self, /, **kwargs: Any) -> Any:
            result = self._make(map(kwargs.pop, self._fields, self))
            if kwargs:
                raise ValueError(f"Got unexpected field names: {list(kwargs)!r}")
            return result

        def __repr__(self) -> str:
            fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
            return f"{type(self).__name__}({fields})"

        def _asdict(self) -> dict[str, Any]:
            return dict(zip(self._fields, self, strict=True))

        def __getnewargs__(self) -> tuple[Any, ...]:
            return tuple(self)

    class _TupleMeta(type):
        def __new__(cls, typename: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            if bases != (_Tuple,):
                raise TypeError("a NamedTuple class can only derive from NamedTuple")
            annotations = dict(namespace.get("__annotations__", {}))
            fields = tuple(annotations)
            for name in fields:
                if name.startswith("_"):
                    raise ValueError(f"{typename}: field names cannot start with an underscore: {name!r}")
            with_default = [name for name in fields if name in namespace]
            if list(fields[len(fields) - len(with_default) :]) != with_default:
                raise TypeError(f"{typename}: a field without a default follows one with a default")
            defaults = {name: namespace[name] for name in with_default}
            body: dict[str, Any] = {
                "__slots__": (),
                "__module__": namespace["__module__"],
                "__qualname__": namespace.get("__qualname__", typename),
                "__doc__": namespace.get("__doc__") or f"{typename}({', '.join(fields)})",
                "__annotations__": annotations,
                "__match_args__": fields,
                "_fields": fields,
                "_field_defaults": defaults,
                "_defaults_in_place": tuple(defaults.get(name, _MISSING) for name in fields),
            }
            for index, name in enumerate(fields):
                body[name] = _tuplegetter(index, sys.intern(f"Alias for field number {index}"))
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"{typename}: cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in annotations and key != "__doc__":
                    body[key] = value
            return type(typename, (_Record,), body)

    _Tuple = type.__new__(_TupleMeta, "NamedTuple", (), {})

    def NamedTuple(typename: str, fields: Any = None, /, **kwargs: Any) -> type:
        raise TypeError("gongkai's NamedTuple is for the class syntax only")

    NamedTuple.__mro_entries__ = lambda bases: (_Tuple,)

__all__ = ["NamedTuple"]
