"""Request fields read as written: JSON booleans are not numbers, and dates are YYYY-MM-DD.

Pydantic's lax mode reads `false` as 0 and `true` as 1 for a number field, so `"levy_funds_available":
false` would quietly mean £0. A client that sends a boolean for an amount has a bug; it gets a 422
naming the field instead. Numbers written as strings are still read, as they were.
"""

from __future__ import annotations

import re
import typing
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ValidationInfo, field_validator


class RequestModel(BaseModel):
    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) and info.field_name and not _takes_bool(cls, info.field_name):
            raise ValueError("must be a number, not true or false")
        return value


def _takes_bool(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return annotation is bool or bool in typing.get_args(annotation) or annotation is Any


def _iso_date_only(value: Any) -> Any:
    # Lax pydantic reads a number ("0", 20260101) as seconds since 1970; a date here is written YYYY-MM-DD.
    if isinstance(value, (int, float)) or (isinstance(value, str) and not ISO_DATE.fullmatch(value.strip())):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
