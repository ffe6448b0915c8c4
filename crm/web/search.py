from __future__ import annotations

import sqlalchemy as sa

ESCAPE = "\\"


def contains(column: sa.ColumnElement[str], text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive substring match where % and _ typed by the user mean themselves."""
    escaped = text.strip().replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return column.ilike(f"%{escaped}%", escape=ESCAPE)
