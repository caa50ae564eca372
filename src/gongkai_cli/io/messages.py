"""Pydantic's validation errors as located problems with Chinese messages: one for each field error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from ..models import TaskFile, UnitFile

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from ..errors import Problem
    from .yamlfile import Source

Model = TypeVar("Model", TaskFile, UnitFile)


_SIMPLE_MESSAGES = {
    "missing": "缺少必填字段“{field}”",
    "missing_argument": "缺少必填字段“{field}”",
    "unexpected_keyword_argument": "未知字段“{field}”，请检查拼写（可用字段见文件开头的说明）",
    "extra_forbidden": "未知字段“{field}”，请检查拼写（可用字段见文件开头的说明）",
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


def _describe(error: dict[str, Any]) -> str:
    """A Chinese message for one pydantic error."""
    names = [str(step) for step in error["loc"] if isinstance(step, str)]
    field = names[-1] if names else "（顶层）"
    if error["type"] == "literal_error":
        expected = str(error["ctx"]["expected"]).replace(" or ", "、").replace(", ", "、")
        return f"“{field}”的取值“{error['input']}”无效，应为 {expected} 之一"
    template = _SIMPLE_MESSAGES.get(error["type"])
    return template.format(field=field, **error.get("ctx", {})) if template else f"“{field}”：{error['msg']}"


# One validator per model and process: building one costs more than validating a table of sixty tasks.
_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(model: type[Model]) -> TypeAdapter[Model]:
    from pydantic import TypeAdapter

    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def validate_model(source: Source, model: type[Model]) -> tuple[Model | None, list[Problem]]:
    """Validate parsed data against a file model; on failure every field error is a located problem."""
    from pydantic import ValidationError

    try:
        return _adapter(model).validate_python(source.data), []
    except ValidationError as e:
        problems = []
        for error in e.errors(include_url=False):
            loc = [step for step in error["loc"] if isinstance(step, (str, int))]
            on_key = error["type"] in ("unexpected_keyword_argument", "extra_forbidden")
            problems.append(source.problem(loc, _describe(dict(error)), key=on_key)._replace(code="schema"))
        return None, problems


__all__ = ["validate_model"]
