"""Pydantic's validation errors as located problems with Chinese messages: one for each field error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_args, get_origin, get_type_hints

from ..models import ProgressEntry, ProgressFile, TaskFile, UnitFile

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from ..errors import Problem
    from .yamlfile import Source

Model = TypeVar("Model", TaskFile, UnitFile, ProgressFile, ProgressEntry)
Loc = Sequence[str | int]


_SIMPLE_MESSAGES = {
    "missing": "缺少必填字段“{field}”",
    "missing_argument": "缺少必填字段“{field}”",
    "date_parsing": "“{field}”应为日期，写作 2024-09-30",
    "date_from_datetime_parsing": "“{field}”应为日期，写作 2024-09-30",
    "date_from_datetime_inexact": "“{field}”应为日期，写作 2024-09-30",
    "date_type": "“{field}”应为日期，写作 2024-09-30",
    "int_parsing": "“{field}”应为整数",
    "int_type": "“{field}”应为整数（不加引号）",
    "int_from_float": "“{field}”应为整数",
    "float_parsing": "“{field}”应为数字",
    "greater_than_equal": "“{field}”应不小于 {ge}",
    "less_than_equal": "“{field}”应不大于 {le}",
    "float_type": "“{field}”应为数字",
    "bool_parsing": "“{field}”应为 true 或 false",
    "bool_type": "“{field}”应为 true 或 false",
    "string_type": "“{field}”应为文本",
    "string_too_short": "“{field}”不能为空",
    "too_short": "“{field}”至少需要一项",
    "tuple_type": "“{field}”应为列表，写作 [甲, 乙] 或逐行 - 甲",
    "list_type": "“{field}”应为列表，写作 [甲, 乙] 或逐行 - 甲",
    "named_tuple_type": "“{field}”应为“键: 值”映射",
    "dataclass_type": "“{field}”应为“键: 值”映射",
    "dataclass_args_type": "“{field}”应为“键: 值”映射",
    "dict_type": "“{field}”应为“键: 值”映射",
}


_UNKNOWN_FIELD = ("unexpected_keyword_argument", "extra_forbidden")


def _unwrap(hint: Any) -> Any:
    """Annotated[X, …] -> X; X | None -> X."""
    while True:
        if get_origin(hint) is Annotated:
            hint = get_args(hint)[0]
        elif get_origin(hint) is not tuple and type(None) in get_args(hint):
            hint = next(arg for arg in get_args(hint) if arg is not type(None))
        else:
            return hint


def _fields_at(model: type[Any], loc: Loc) -> tuple[str, ...]:
    """The fields of the record that stands at `loc` inside a model (none where no record stands)."""
    hint: Any = model
    for step in loc:
        hint = _unwrap(hint)
        if isinstance(step, int):
            if get_origin(hint) is not tuple:
                return ()
            hint = get_args(hint)[0]
        else:
            hints = get_type_hints(hint, include_extras=True) if hasattr(hint, "_fields") else {}
            if step not in hints:
                return ()
            hint = hints[step]
    return tuple(getattr(_unwrap(hint), "_fields", ()))


def _describe(error: dict[str, Any], model: type[Any], at: Loc) -> str:
    """A Chinese message for one pydantic error of a model validated at `at` inside its file."""
    names = [str(step) for step in (*at, *error["loc"]) if isinstance(step, str)]
    field = names[-1] if names else "（顶层）"
    if error["type"] in _UNKNOWN_FIELD:
        known = _fields_at(model, error["loc"][:-1])
        return f"未知字段“{field}”，可用字段为 {'、'.join(known)}" if known else f"未知字段“{field}”，请检查拼写"
    if error["type"] == "refused":
        return str(error["ctx"]["message"]).format(field=field, value=error["input"])
    if error["type"] == "literal_error":
        expected = str(error["ctx"]["expected"]).replace(" or ", "、").replace(", ", "、")
        return f"“{field}”的取值“{error['input']}”无效，应为 {expected} 之一"
    template = _SIMPLE_MESSAGES.get(error["type"])
    return template.format(field=field, **error.get("ctx", {})) if template else f"“{field}”：{error['msg']}"


# One validator per model, built on first use: building one costs far more than a validation.
_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(model: type[Model]) -> TypeAdapter[Model]:
    if model not in _ADAPTERS:
        from pydantic import TypeAdapter

        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def _schema_code(field: str | None, unknown: bool) -> str:
    """The problem code of a field error in a data file: one for all of them."""
    return "schema"


def validate_model(
    source: Source,
    model: type[Model],
    *,
    at: Loc = (),
    code: Callable[[str | None, bool], str] = _schema_code,
) -> tuple[Model | None, list[Problem]]:
    """Validate parsed data (the value at `at` inside it) against a model; every field error is a located problem.

    `code` names the problem code of an error from the field it is about (None: the value itself) and whether
    that field is unknown to the model.
    """
    from pydantic import ValidationError

    value = source.data
    for step in at:
        value = value[step]
    try:
        return _adapter(model).validate_python(value), []
    except ValidationError as e:
        problems: list[Problem] = []
        for found in e.errors(include_url=False):
            details: dict[str, Any] = dict(found)
            loc: list[str | int] = [*at, *(step for step in details["loc"] if isinstance(step, (str, int)))]
            unknown = details["type"] in _UNKNOWN_FIELD
            names = [step for step in loc if isinstance(step, str)]
            problem = source.problem(loc, _describe(details, model, at), key=unknown)
            problems.append(problem._replace(code=code(names[-1] if names else None, unknown)))
        return None, problems


__all__ = ["validate_model"]
