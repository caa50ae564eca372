"""`NamedTuple`, as typing spells it, built without checking each annotation at import.

typing.NamedTuple turns every string annotation (all of them, under `from __future__ import annotations`) into a
ForwardRef, which compiles it: a tenth of the package's start-up for annotations nothing reads on a query.
This builds the same class, `collections.namedtuple` with the annotations kept as written, so pydantic (on the
`check` path) resolves them as it resolves any postponed annotation. Type checkers see typing.NamedTuple itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    import collections

    # What typing.NamedTuple refuses to overwrite, and what it leaves to namedtuple.
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
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _TupleMeta(type):
        def __new__(cls, typename: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            if bases != (_Tuple,):
                raise TypeError("a NamedTuple class can only derive from NamedTuple")
            annotations = namespace.get("__annotations__", {})
            names = list(annotations)
            with_default = [name for name in names if name in namespace]
            if names[len(names) - len(with_default) :] != with_default:
                raise TypeError(f"{typename}: a field without a default follows one with a default")
            defaults = [namespace[name] for name in with_default]
            record = collections.namedtuple(typename, annotations, defaults=defaults, module=namespace["__module__"])
            record.__annotations__ = record.__new__.__annotations__ = dict(annotations)
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"{typename}: cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in annotations:
                    setattr(record, key, value)
            return record

    _Tuple = type.__new__(_TupleMeta, "NamedTuple", (), {})

    def NamedTuple(typename: str, fields: Any = None, /, **kwargs: Any) -> type:
        raise TypeError("gongkai's NamedTuple is for the class syntax only")

    NamedTuple.__mro_entries__ = lambda bases: (_Tuple,)

__all__ = ["NamedTuple"]
