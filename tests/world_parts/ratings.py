"""World records of the 服务单位评议 (see tests/world_parts/__init__.py): county A's criteria (``rating_criterion``)
and 服务单位 (``service_a``, rated by chief_a1 for the month raters are asked about: ``rating``), and county B's 服务单位 (``service_b``: 404 in
county A)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.clock import local_today
    from crm.domain.ratings import rating_month
    from crm.domain.units import UnitType
    from crm.extensions import db
    from crm.ratings.models import RatingCriterion, ServiceRating
    from crm.units.models import Unit

    with app.app_context():
        set_scope(db.session, SYSTEM)
        service_a = Unit(name="甲县自然资源局", type=UnitType.SERVICE, parent_id=w.units["county_a"].id)
        service_b = Unit(name="乙县自然资源局", type=UnitType.SERVICE, parent_id=w.units["county_b"].id)
        criterion = RatingCriterion(unit_id=w.units["county_a"].id, name="服务态度", max_points=Decimal(50))
        db.session.add_all([service_a, service_b, criterion])
        db.session.flush()
        chief = w.users["chief"]
        rating = ServiceRating(unit_id=chief.unit_id, county_id=w.units["county_a"].id, period=rating_month(local_today()),
                               service_unit_id=service_a.id, rater_id=chief.id, points={str(criterion.id): "40"}, total=Decimal(40))
        db.session.add(rating)
        db.session.commit()
        w.records.update(service_a=service_a.id, service_b=service_b.id, rating_criterion=criterion.id, rating=rating.id)
