"""How phrases read in one line, in the reader's language: Chinese joins with full-width marks ("；", "、"), brackets a
note with "（）" and follows a label with "："; English uses "; ", ", ", " (…)" and ": ". Templates use the
``semicolons`` and ``enumeration`` filters and the same marks as their own messages ("（%(note)s）", "："), code these
functions, never a literal full-width mark."""

from __future__ import annotations

from typing import Iterable

from flask_babel import get_locale
from flask_babel import gettext as _


def semicolons(items: Iterable[object]) -> str:
    """Clauses one after another: reasons, missing fields ("须填写总投资；须填写一期投资")."""
    return _("；").join(str(item) for item in items)


def enumeration(items: Iterable[object]) -> str:
    """Items of one kind in a row: tags, names ("央企、上市公司")."""
    return _("、").join(str(item) for item in items)


def noted(text: object, note: object) -> str:
    """A phrase with a note in brackets: "第一招商分局（鲁山县）", in English "… (…)" with a space before it."""
    return _("%(text)s（%(note)s）", text=text, note=note)


def labelled(label: object, value: object) -> str:
    """A label and what follows it: "安排跟进：…", in English "…: …"."""
    return _("%(label)s：%(value)s", label=label, value=value)


def commas(items: Iterable[object]) -> str:
    """Parts of one phrase: "考察，产业园，张三带队"."""
    return _("，").join(str(item) for item in items)


NUMERALS = "一二三四五六七八九十"


def heading_number(n: int) -> str:
    """The number of a document's n-th section as its language writes it: "三、" (公文), in English "3. "."""
    if str(get_locale() or "zh").startswith("zh") and 1 <= n <= len(NUMERALS):
        return f"{NUMERALS[n - 1]}、"
    return f"{n}. "
