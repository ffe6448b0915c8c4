from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from crm.access.mixins import SharedMasterData
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned


class IndustryChain(SharedMasterData, Audited, Versioned, Timestamped, Base):
    """主导产业链: the county's own list (e.g. 新型建材, 轻纺, 旅游产品加工); leaders think in these."""

    __tablename__ = "industry_chains"
    __audit_name__ = _l("主导产业链")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def __str__(self) -> str:
        return self.name
