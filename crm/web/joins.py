"""How a list of phrases reads in one line, in the reader's language: Chinese joins with full-width marks ("；",
"、"), English with "; " and ", ". Templates use the ``semicolons`` and ``enumeration`` filters, code these
functions, never a literal "；" or "、"."""

from __future__ import annotations

from typing import Iterable

from flask_babel import gettext as _


def semicolons(items: Iterable[object]) -> str:
    """Clauses one after another: reasons, missing fields ("须填写总投资；须填写一期投资")."""
    return _("；").join(str(item) for item in items)


def enumeration(items: Iterable[object]) -> str:
    """Items of one kind in a row: tags, names ("央企、上市公司")."""
    return _("、").join(str(item) for item in items)
