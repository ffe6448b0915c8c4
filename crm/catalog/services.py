from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.catalog.models import IndustryChain
from crm.errors import FieldError
from crm.extensions import db


def save_chain(chain: IndustryChain | None, name: str, sort_order: int | None, is_active: bool) -> IndustryChain:
    """Create or rename a 主导产业链; names are unique."""
    clash = sa.select(IndustryChain.id).where(IndustryChain.name == name)
    if chain is not None and chain.id is not None:
        clash = clash.where(IndustryChain.id != chain.id)
    if db.session.scalar(clash) is not None:
        raise FieldError("name", _("已有同名产业链"))
    chain = chain or IndustryChain()
    chain.name, chain.sort_order, chain.is_active = name, sort_order or 0, is_active
    db.session.add(chain)
    db.session.flush()
    return chain
