"""How each foreign key to ``companies`` behaves in a merge (see ``crm.companies.signals``)."""

from __future__ import annotations

from crm.companies.signals import MOVE, mover, register_reference

_installed = False


def install() -> None:
    """Connect the companies feature's own merge receivers (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    from crm.agreements.models import Agreement
    from crm.companies.models import Contact
    from crm.followups.models import FollowUp
    from crm.leads.models import Lead

    mover(Contact.__table__, "company_id")
    mover(Agreement.__table__, "company_id")
    mover(Lead.__table__, "company_id")
    mover(FollowUp.__table__, "company_id")
    from crm.visits.models import VisitCompany

    mover(VisitCompany.__table__, "company_id")
    from crm.projects.models import Project

    mover(Project.__table__, "company_id")
    mover(Project.__table__, "local_company_id")
    # Moved by merge_companies itself (it also turns names into other names of the survivor).
    register_reference("company_names.company_id", MOVE)
    register_reference("company_tags.company_id", "kept: the survivor takes the union of both companies' tags")
    register_reference("company_name_keys.company_id", "kept: rebuilt from the survivor's names after the merge")
    register_reference("companies.merged_into_id", "kept: this is the pointer from a merged company to its survivor")
    register_reference("company_distinct_pairs.low_id", "kept: decisions about the merged record stay with it")
    register_reference("company_distinct_pairs.high_id", "kept: decisions about the merged record stay with it")
    register_reference("duplicate_group_members.company_id", "kept: the review queue's history")
    register_reference("company_merges.survivor_id", "kept: the merge log itself")
    register_reference("company_merges.merged_id", "kept: the merge log itself")
