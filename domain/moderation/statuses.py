"""Reasons of reports and actions of moderators, shared by everything that is moderated; the
database enums (`review_report_reason`, `review_moderation_action`, named for the reviews that
came first), the use cases and the GraphQL enums take their values from here."""
from enum import StrEnum


class ReportReason(StrEnum):
    """Why a customer reports a review, a question or an answer."""

    SPAM = "SPAM"
    OFFENSIVE = "OFFENSIVE"
    OFF_TOPIC = "OFF_TOPIC"
    PERSONAL_INFORMATION = "PERSONAL_INFORMATION"
    FAKE = "FAKE"
    OTHER = "OTHER"


class ModerationAction(StrEnum):
    """What a moderator did to a post, as written in its audit trail."""

    HIDE = "HIDE"
    RESTORE = "RESTORE"
    DISMISS_REPORTS = "DISMISS_REPORTS"


class ReportStatus(StrEnum):
    """OPEN: waiting for an administrator. RESOLVED: the post was hidden, restored or its
    reports dismissed."""

    OPEN = "OPEN"
    RESOLVED = "RESOLVED"
