"""The weekly digest's 园区 line, for the county's reviewers, admins and county heads: each zone whose open leads
need more land than it has available (可供地), with the zone's 用地需求对比 page."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.domain.access import Action, Actor, can
from crm.zones.queries import county_zones, figures_of, land_demand
from crm.zones.services import zone_target


def zone_land_section(actor: Actor):  # type: ignore[no-untyped-def]
    from crm.digests.build import Item, Section, link
    from crm.zones.views import area

    items = []
    if actor.county_id is not None and can(actor, Action.VIEW, zone_target(actor.county_id)):
        for zone in county_zones(actor.county_id, active_only=True):
            figures = figures_of(zone)
            short = land_demand(zone.unit_id, figures.land).short
            if short:
                items.append(Item(_("%(zone)s：%(n)d 条线索的用地需求超过可供地（%(mu)s 亩）", zone=zone.name, n=len(short), mu=area(figures.land.available)),
                                  link("zones.demand", zone_id=zone.id), tone="amber"))
    return Section("zone_land", _("园区用地"), items)
