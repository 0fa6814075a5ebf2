"""aiogram routers: thin translators between Telegram and the services."""

from aiogram import Router


def build_router() -> Router:
    """All routers in the order they must match; built fresh since a router attaches once."""
    from handlers import applicant, common, errors, exports, privacy, reminders, review

    root = Router(name="root")
    root.include_router(errors.build_router())
    root.include_router(applicant.build_conversation_router())
    root.include_router(common.build_router())
    root.include_router(privacy.build_router())
    root.include_router(reminders.build_router())
    # Before the applicant: reviewers' commands and invite links work in any conversation state.
    root.include_router(review.build_router())
    root.include_router(exports.build_router())
    root.include_router(applicant.build_router())
    root.include_router(common.build_fallback_router())
    return root
