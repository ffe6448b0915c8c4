from __future__ import annotations

from typing import Any, ClassVar


class Audited:
    """Mark a model whose every change is written to the audit log.

    ``__audit_exclude__`` names columns not worth a row (bookkeeping);
    ``__audit_redact__`` names columns whose values must never be copied into
    the log (password hashes): the row says that they changed, not to what.
    """

    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"created_at", "updated_at", "version"})
    __audit_redact__: ClassVar[frozenset[str]] = frozenset()
    __audit_name__: ClassVar[Any] = None  # what the record is called on screen, e.g. "用户"

    def audit_unit_id(self) -> int | None:
        """The unit whose records this row belongs to, used to scope audit searches."""
        return getattr(self, "unit_id", None)

    def audit_label(self) -> str:
        return str(self)
