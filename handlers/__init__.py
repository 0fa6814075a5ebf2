"""aiogram routers: thin translators between Telegram and the services."""

from aiogram import Router


def build_routers() -> list[Router]:
    """All routers in the order they must match; built fresh since a router attaches once.

    The Dispatcher includes them directly: every level of nesting costs each
    update another round of middleware wrapping.
    """
    from handlers import (
        accounts,
        applicant,
        common,
        draws,
        errors,
        experts,
        exports,
        privacy,
        registry,
        reminders,
        review,
        stats,
    )

    return [
        applicant.build_conversation_router(),
        common.build_router(),
        # Before the applicant: a rebind link or /rebind works in any conversation state.
        accounts.build_router(),
        privacy.build_router(),
        reminders.build_router(),
        # Before the applicant: reviewers' commands and invite links work in any conversation state.
        review.build_router(),
        exports.build_router(),
        registry.build_router(),
        draws.build_router(),
        stats.build_router(),
        experts.build_router(),
        applicant.build_router(),
        common.build_fallback_router(),
        # Error handlers only, which errors reach in any position; placed first,
        # every update would pass through it on its way to the others.
        errors.build_router(),
    ]
