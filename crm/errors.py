"""Errors that services raise and views show to the user."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


class FieldError(Exception):
    """A change refused for a reason the form shows next to ``field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class FormData:
    """Mixin for service-input dataclasses filled from a form's fields of the same names."""

    @classmethod
    def from_form(cls: type[T], form: Any) -> T:
        return cls(**{f.name: getattr(form, f.name).data for f in dataclasses.fields(cls)})  # type: ignore[arg-type]
