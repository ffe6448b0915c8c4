"""Imports every model so that the metadata is complete (for Alembic and tests)."""

from crm.admission.models import AdmissionReview
from crm.aftercare.models import CompanyProtection, CompanyRequest
from crm.agreements.models import Agreement
from crm.approvals.models import ApprovalProcedure
from crm.assignments.models import ProjectLeader, ReminderLetter, TeamMember
from crm.attachments.models import Attachment
from crm.audit.models import AuditLog
from crm.auth.models import LoginAttempt
from crm.catalog.models import IndustryChain
from crm.channels.models import Channel
from crm.companies.models import (
    Company,
    CompanyMerge,
    CompanyName,
    CompanyNameKey,
    CompanyTagRow,
    Contact,
    DistinctPair,
    DuplicateGroup,
    DuplicateGroupMember,
)
from crm.db import Base
from crm.followups.models import FollowUp
from crm.imports.models import Import, ImportItem, ImportMapping
from crm.issues.models import Issue, IssueAction
from crm.leads.models import Lead
from crm.mail.models import JobRun, OutboxMessage
from crm.notifications.models import Notification
from crm.progress.models import FundArrival, Milestone, ProgressReport
from crm.projects.models import Project, StageEvent
from crm.ratings.models import RatingCriterion, ServiceRating
from crm.reports.models import ReportSettings, ReportSnapshot
from crm.submissions.models import Submission
from crm.targets.models import Target, ZoneMetric
from crm.units.models import Unit
from crm.users.models import User
from crm.visits.models import Visit, VisitCompany
from crm.zones.models import Zone, ZoneBuilding, ZoneLand, ZonePart

metadata = Base.metadata

__all__ = [
    "AdmissionReview",
    "CompanyProtection",
    "CompanyRequest",
    "Agreement",
    "Attachment",
    "Channel",
    "AuditLog",
    "Company",
    "CompanyMerge",
    "CompanyName",
    "CompanyNameKey",
    "CompanyTagRow",
    "Contact",
    "DistinctPair",
    "DuplicateGroup",
    "DuplicateGroupMember",
    "FollowUp",
    "Import",
    "ImportItem",
    "ImportMapping",
    "Lead",
    "IndustryChain",
    "LoginAttempt",
    "Project",
    "RatingCriterion",
    "Unit",
    "User",
    "Visit",
    "VisitCompany",
    "ProjectLeader",
    "TeamMember",
    "ReminderLetter",
    "Issue",
    "IssueAction",
    "FundArrival",
    "Milestone",
    "ApprovalProcedure",
    "ProgressReport",
    "StageEvent",
    "JobRun",
    "OutboxMessage",
    "Notification",
    "ReportSettings",
    "ReportSnapshot",
    "ServiceRating",
    "Submission",
    "Target",
    "ZoneMetric",
    "Zone",
    "ZoneBuilding",
    "ZoneLand",
    "ZonePart",
    "metadata",
]
