"""SQLAlchemy models: the authoritative record of campaigns, people and applications.

Times are stored as UTC and come back timezone-aware; the bot shows them in
Asia/Shanghai. Annex 1 answers are one column each, named by `bot.domain.keys`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.crypto import EncryptedBytes, EncryptedJSON, EncryptedString

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC (SQLite has no time zones) and returns them aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Campaign(Base):
    """One yearly call (征集批次) with its two deadlines."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    unit_deadline: Mapped[datetime]
    """Applicants submit and units decide until this moment."""
    district_deadline: Mapped[datetime]
    """Districts decide and report until this moment."""
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    certificate_format: Mapped[str] = mapped_column(
        String(60), default="CQGSYF-{year}-{number:04d}", server_default="CQGSYF-{year}-{number:04d}"
    )
    """Certificate numbers of the experts this campaign appoints (bot.domain.registry)."""


class District(Base):
    """A Chongqing district, county or special zone; seeded by the first migration."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(20))


class Unit(Base):
    """An employer (工作单位) registered in a district."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    """Short public code used in deep links (`/start u_<code>`)."""
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("district_id", "name", name="uq_unit_district_name"),)


class Person(Base):
    """Someone the bot knows, by the project's own id; how to reach them is in `account`."""

    __tablename__ = "person"
    __table_args__ = {"sqlite_autoincrement": True}
    """An id is never given twice: audit rows keep the ids of people since deleted."""

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[datetime | None]
    """When the person agreed to the processing notice of `consent_version`."""
    sensitive_consent_at: Mapped[datetime | None]
    """Separate consent for sensitive information (ID number, health), PIPL art. 29."""
    transfer_consent_at: Mapped[datetime | None]
    """Separate consent for the transfer through a messaging service abroad, PIPL art. 39."""
    created_at: Mapped[datetime]


class Account(Base):
    """A person's account on one messaging channel: the only place a channel's user id is kept.

    A person has at most one attached account per channel. Moving them to another
    account detaches the old row (`detached_at`) and keeps it as history; the old
    account, if it writes again, is met as someone new.
    """

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("person.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    """`telegram` today; a domestic channel (DingTalk, WeCom) later."""
    external_id: Mapped[str] = mapped_column(String(64))
    """The channel's user id (Telegram: the user id, as text)."""
    chat_id: Mapped[str] = mapped_column(String(64))
    """Where messages to this account go (Telegram: the private chat, same number as the user)."""
    username: Mapped[str | None] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    """The channel refused a message (blocked, deleted); cleared when the account writes again."""
    last_seen_at: Mapped[datetime | None]
    """Last update from this account, to the hour."""
    attached_at: Mapped[datetime]
    detached_at: Mapped[datetime | None]

    __table_args__ = (
        Index(
            "uq_account_attached",
            "channel",
            "external_id",
            unique=True,
            sqlite_where=text("detached_at IS NULL"),
            postgresql_where=text("detached_at IS NULL"),
        ),
    )


class PersonEvent(Base):
    """Audit trail of a person's accounts: who moved them to which account, when and how."""

    __tablename__ = "person_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("person.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    """`rebind_link` (made), `rebind` (done), `rebind_code` (asked by the person)."""
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    """The person who did it; None for the operator's command line."""
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Account row ids (from, to) and the means; never the channel's user ids."""
    at: Mapped[datetime]


class Rebind(Base):
    """A one-time permission to move a person to another account; only the secret's hash is kept.

    `link`: a deep link made by the bureau or a district reviewer, for whoever opens it.
    `code`: a code sent to the person's old account, for the one new account that asked.
    """

    __tablename__ = "rebind"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    for_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    """`code`: the new account that asked and alone may use it."""
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    """Person id of whoever made it; None from the command line."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    """Wrong codes typed; the code dies after a few."""
    used_at: Mapped[datetime | None]
    used_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    revoked_at: Mapped[datetime | None]


class Role(Base):
    """A granted role: bureau (everything), district (one district), unit (one unit) or user
    (one using unit, which draws experts)."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    using_unit_id: Mapped[int | None] = mapped_column(ForeignKey("using_unit.id"))
    """The using unit of a `user` role (使用单位)."""
    granted_by: Mapped[int | None] = mapped_column(BigInteger)
    """Person id of the granter; None from the command line or an invite."""
    granted_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("person_id", "role", "district_id", "unit_id", name="uq_role_grant"),
    )


class Application(Base):
    """One applicant's Annex 1 in one campaign, from draft to final decision."""

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    person_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("person.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    unit_confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    """False when the applicant typed a unit that is not registered: the district confirms it."""
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Bumped by every write; conditional updates on it keep concurrent writers honest."""
    cursor: Mapped[str | None] = mapped_column(String(40))
    """Key of the field the applicant is being asked, or None at the summary card."""
    return_reason: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """Eligibility flags (bot.domain.eligibility.Flag values) as last computed."""

    group: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(50))
    id_number: Mapped[str | None] = mapped_column(EncryptedString("application.id_number"))
    """Encrypted at rest (storage.crypto); found by `id_hash`, never by value."""
    id_hash: Mapped[str | None] = mapped_column(String(64))
    """HMAC-SHA256 of the ID number under the index key, hex: duplicate detection."""
    gender: Mapped[str | None] = mapped_column(String(2))
    birth_date: Mapped[date | None] = mapped_column(Date)
    id_confirmed: Mapped[bool | None] = mapped_column(Boolean)
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    photo: Mapped[bool | None] = mapped_column(Boolean)
    """True once a photo row exists; the bytes live in `photo`."""
    unit_name: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(60))
    part_time: Mapped[str | None] = mapped_column(String(200))
    health: Mapped[str | None] = mapped_column(EncryptedString("application.health"))
    education: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(60))
    title_level: Mapped[str | None] = mapped_column(String(10))
    emergency_expert: Mapped[bool | None] = mapped_column(Boolean)
    school: Mapped[str | None] = mapped_column(String(80))
    major: Mapped[str | None] = mapped_column(String(60))
    discipline: Mapped[str | None] = mapped_column(String(20))
    main_specialties: Mapped[list[Any] | None] = mapped_column(JSON)
    familiar_specialties: Mapped[list[Any] | None] = mapped_column(JSON)
    unit_address: Mapped[str | None] = mapped_column(String(120))
    mobile: Mapped[str | None] = mapped_column(EncryptedString("application.mobile"))
    home_address: Mapped[str | None] = mapped_column(EncryptedString("application.home_address"))
    office_phone: Mapped[str | None] = mapped_column(EncryptedString("application.office_phone"))
    email: Mapped[str | None] = mapped_column(String(254))
    emergency_phone: Mapped[str | None] = mapped_column(
        EncryptedString("application.emergency_phone")
    )
    resume: Mapped[list[Any] | None] = mapped_column(JSON)
    relaxation_reason: Mapped[str | None] = mapped_column(Text)
    filled_at: Mapped[date | None] = mapped_column(Date)
    signature: Mapped[str | None] = mapped_column(String(50))

    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    """When the personal fields were erased (retention or the applicant's request); the name stays."""

    __table_args__ = (Index("ix_application_campaign_id_hash", "campaign_id", "id_hash"),)


class Photo(Base):
    """The applicant's portrait, re-encoded as JPEG; exports need the bytes, not a file_id."""

    __tablename__ = "photo"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    jpeg: Mapped[bytes] = mapped_column(EncryptedBytes("photo.jpeg"))
    """The re-encoded JPEG, encrypted at rest."""
    width: Mapped[int]
    height: Mapped[int]
    file_unique_id: Mapped[str | None] = mapped_column(String(64))


class ApplicationEvent(Base):
    """Audit trail: every state change with who, when, from, to and why."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    """Person id; not a foreign key, so the trail outlives a person's deletion."""
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON("application_event.changes"))
    """The answers at submission (encrypted: they hold the ID number and phones); erased on purge."""
    at: Mapped[datetime]


class FsmRecord(Base):
    """aiogram FSM state and data, so conversations survive restarts."""

    __tablename__ = "fsm_state"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CampaignSchedule(Base):
    """A campaign's reminder schedule and when each deadline took effect; absent means defaults."""

    __tablename__ = "campaign_schedule"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    offsets: Mapped[list[Any]] = mapped_column(JSON)
    """Minutes before each deadline at which reminders go out, largest first."""
    quiet_start: Mapped[str] = mapped_column(String(5), default="22:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00")
    """Quiet hours, Asia/Shanghai, "HH:MM"; equal means none."""
    unit_deadline_since: Mapped[datetime | None]
    district_deadline_since: Mapped[datetime | None]
    """When the current deadline was set; reminder slots before it never fire (None: created_at)."""


class Reminder(Base):
    """The outbox: each reminder or notice, recorded (claimed) before it is sent, marked after."""

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    """Reminders: campaign, deadline (kind and moment), offset, recipient and scope."""
    kind: Mapped[str] = mapped_column(String(12))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    deadline_kind: Mapped[str | None] = mapped_column(String(10))
    deadline_at: Mapped[datetime | None]
    offset_minutes: Mapped[int | None] = mapped_column(Integer)
    recipient_id: Mapped[int] = mapped_column(BigInteger, index=True)
    """Person id; the account to send to is looked up when it goes out."""
    application_id: Mapped[int | None] = mapped_column(Integer, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[datetime | None]
    recorded_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    """When a pass took it for sending or last renewed its claim; None: waiting for the next pass."""
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    """The holder id (host:pid:random) of the pass that holds the claim; None: unclaimed."""
    sent_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))


class NudgeLog(Base):
    """Who nudged (催办) which application when; at most one an hour per application."""

    __tablename__ = "nudge_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]


class Invite(Base):
    """A one-time deep link that grants a reviewer role; only the token's hash is kept."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the token in the link, hex; the token itself is never stored."""
    role: Mapped[str] = mapped_column(String(10))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    using_unit_id: Mapped[int | None] = mapped_column(ForeignKey("using_unit.id"))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    """Person id of the inviter (None when made from the CLI); told when the link is used."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    """Person id of whoever took the role."""
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class CardMessage(Base):
    """A chat message that carries a review card, so every copy can be updated after a decision."""

    __tablename__ = "card_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    """The account in whose chat the card is."""
    message_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("account_id", "message_id", name="uq_card_message_account"),
    )


class ConsentRecord(Base):
    """Consent history, append-only: who agreed to (or withdrew) which notice version and items, when."""

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, index=True)
    """Person id; not a foreign key, so the history outlives the person's deletion."""
    version: Mapped[str] = mapped_column(String(20))
    items: Mapped[list[Any]] = mapped_column(JSON)
    """Separate consents given: general, sensitive (PIPL art. 29), transfer (art. 39); empty on withdrawal."""
    action: Mapped[str] = mapped_column(String(10))
    """`agree` or `withdraw`."""
    notice_sha256: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the notice text shown; the text itself is in `consent_notice`."""
    at: Mapped[datetime]


class ConsentNotice(Base):
    """Each consent notice text once, by version, so what a person agreed to can be shown later."""

    __tablename__ = "consent_notice"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    first_used_at: Mapped[datetime]


class KeyCheck(Base):
    """One row sealed with the data key, so a wrong or missing key is noticed at startup."""

    __tablename__ = "keycheck"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(Text)
    """A known plaintext encrypted under the current key (`<key id>:<base64>`)."""
    index_check: Mapped[str] = mapped_column(String(64))
    """HMAC of the same plaintext under the index key."""
    updated_at: Mapped[datetime]


class BatchReport(Base):
    """A district's report of its batch (上报市局): one row per report, the latest one counts."""

    __tablename__ = "batch_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    reported_at: Mapped[datetime]
    reported_by: Mapped[int] = mapped_column(BigInteger)
    """Person id of the district reviewer who reported."""
    row_count: Mapped[int] = mapped_column(Integer)
    """Rows of the Annex 2 sent to the bureau."""
    replaced: Mapped[bool] = mapped_column(Boolean, default=False)
    """True once a later report of the same campaign and district took its place."""

    __table_args__ = (Index("ix_batch_report_campaign_district", "campaign_id", "district_id"),)


class AccessLog(Base):
    """Who exported or looked at personal data, when, and with which filter (append-only)."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    """Person id of the reviewer or admin; None for the operator's command line."""
    action: Mapped[str] = mapped_column(String(30))
    """`bot.domain.exports.Access` value, e.g. export_annex2, view_full_record."""
    target: Mapped[str] = mapped_column(String(60))
    """What was read: "application:12", "district:500106", "all"; never personal data."""
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Filters and the row count; record ids only, never names or numbers."""
    at: Mapped[datetime] = mapped_column(index=True)


class DownloadToken(Base):
    """A one-time download link (EXPORT_DELIVERY=link): the file waits here, encrypted, until used or expired."""

    __tablename__ = "download_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 (hex) of the token in the link; the token itself is never stored."""
    data: Mapped[bytes | None] = mapped_column(EncryptedBytes("download_token.data"))
    """The file, encrypted at rest; emptied when the link is used."""
    filename: Mapped[str] = mapped_column(String(200))
    requester_id: Mapped[int] = mapped_column(BigInteger)
    """Person id."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class MeetingBatch(Base):
    """The joint meeting's decision (入库确认), recorded once and never changed.

    A correction is a new batch that names the one it corrects; the latest of
    a chain is the one that counts.
    """

    __tablename__ = "meeting_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    meeting_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100))
    """The minutes' reference, e.g. 联席会议纪要〔2022〕3号."""
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_batch.id"), unique=True)
    """The batch this one replaces; a batch is corrected at most once (correct the latest)."""
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    """Person id; None from the command line."""
    recorded_at: Mapped[datetime]


class MeetingBatchEntry(Base):
    """An application the batch confirms."""

    __tablename__ = "meeting_batch_entry"

    batch_id: Mapped[int] = mapped_column(ForeignKey("meeting_batch.id"), primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id"), primary_key=True, index=True
    )


class Publicity(Base):
    """A batch's publicity window (公示), first and last day inclusive, Asia/Shanghai dates."""

    __tablename__ = "publicity"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("meeting_batch.id"), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[datetime]


class Objection(Base):
    """An objection (异议) the bureau received against a published person, and its outcome."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    publicity_id: Mapped[int] = mapped_column(ForeignKey("publicity.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(10), default="open")
    """`open`, `upheld` (the person leaves the batch), `overruled`, or `moot`: closed without
    a decision because the person left the batch otherwise (another objection upheld, or a
    correction that left them out); `reason` says which."""
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None]


class Expert(Base):
    """A person in the expert database: one per person, across campaigns and terms."""

    __tablename__ = "expert"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("person.id"), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    """The application that made them an expert (the latest, after a top-up call)."""
    professional_group: Mapped[str] = mapped_column(String(20), index=True)
    standing: Mapped[str] = mapped_column(String(12), index=True)
    """`bot.domain.registry.Standing` value."""
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    unit_name: Mapped[str] = mapped_column(String(100), default="")
    """Where the expert works, as the application that made them one says: the draw's pool
    (回避 by unit, preferred districts) reads this one table, not every application."""
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    """申请退出: the expert's reason, waiting for the bureau's confirmation."""
    withdrawal_asked_at: Mapped[datetime | None]
    not_renewed_on: Mapped[date | None] = mapped_column(Date)
    """The day 不予续聘 was decided. The expert serves to their term's last day, and the
    reminder pass after it moves them to `ended` (not renewed)."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ExpertTerm(Base):
    """One five-year term with its certificate (聘书); a number is never given twice."""

    __tablename__ = "expert_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    certificate_no: Mapped[str] = mapped_column(String(40), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    """The last day of the term: start + 5 years − 1 day."""
    ended_on: Mapped[date | None] = mapped_column(Date)
    """Set when the term ended early (withdrawal, dismissal)."""
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_batch.id"))
    appointed_by: Mapped[int | None] = mapped_column(BigInteger)
    appointed_at: Mapped[datetime]


class CertificateCounter(Base):
    """The last certificate number used per format and year: numbers only go up."""

    __tablename__ = "certificate_counter"

    series: Mapped[str] = mapped_column(String(80), primary_key=True)
    """The campaign's format with the year filled in, e.g. `CQGSYF-2022-{number:04d}`."""
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class ExpertEvent(Base):
    """Audit trail of an expert's standing: every move with who, when, from, to and why."""

    __tablename__ = "expert_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    """`bot.domain.registry.ExpertAction` value, or a change that keeps the standing
    (`ask_withdrawal`, `decide_not_renew`), or `repair_not_renew` (migration 0013)."""
    from_standing: Mapped[str | None] = mapped_column(String(12))
    to_standing: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    """Person id; None from the command line."""
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime]


class ExpertEvaluation(Base):
    """A yearly evaluation (年度评价) or the evaluation at a term's end (期满考核)."""

    __tablename__ = "expert_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("expert_term.id"))
    kind: Mapped[str] = mapped_column(String(10))
    """`year` or `term`."""
    year: Mapped[int] = mapped_column(Integer)
    """The year evaluated (a term's evaluation: the year it was recorded)."""
    rating: Mapped[str] = mapped_column(String(10))
    """优秀, 合格 or 不合格."""
    health: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    """Work during the year or the term."""
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("expert_id", "kind", "year", name="uq_expert_evaluation_year"),
    )


class ExpertContactChange(Base):
    """An expert's own change of phone, e-mail or home address (from /me), kept as history.

    The application row holds the current value; this keeps what it was.
    """

    __tablename__ = "expert_contact_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    """`mobile`, `email` or `home_address` (bot.domain.keys)."""
    old_value: Mapped[str | None] = mapped_column(EncryptedString("expert_contact_change.old_value"))
    new_value: Mapped[str | None] = mapped_column(EncryptedString("expert_contact_change.new_value"))
    at: Mapped[datetime]


class UsingUnit(Base):
    """A using unit (使用单位): a district HR bureau, a bureau division or a registered project
    unit that draws experts. Its people hold the `user` role on it."""

    __tablename__ = "using_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    """`hr` (区县人社局), `division` (市局处室) or `project` (项目单位)."""
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    """The same organisation as an employer, so that its own experts are always avoided (回避)."""
    created_at: Mapped[datetime]


class DrawRequest(Base):
    """A using unit's request for experts: what, when, where, who to avoid, and the committed key."""

    __tablename__ = "draw_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    using_unit_id: Mapped[int] = mapped_column(ForeignKey("using_unit.id"), index=True)
    requested_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("person.id"))
    groups: Mapped[list[Any]] = mapped_column(JSON)
    days: Mapped[list[Any]] = mapped_column(JSON)
    """ISO dates, sorted."""
    first_day: Mapped[date] = mapped_column(Date, index=True)
    last_day: Mapped[date] = mapped_column(Date, index=True)
    """The first and last of `days`, for the reminders' queries."""
    place: Mapped[str] = mapped_column(String(100))
    project: Mapped[str] = mapped_column(String(100))
    work_kind: Mapped[str] = mapped_column(String(10))
    wanted: Mapped[int] = mapped_column(Integer)
    preferred_districts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    avoid_units: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """Unit names named for 回避 beside the requesting unit."""
    avoid_experts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """Expert ids named for 回避."""
    reply_hours: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="filed", index=True)
    key_hex: Mapped[str] = mapped_column(String(64))
    """The draw key; only its commitment is shown until the first draw reveals it."""
    commitment: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    filed_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class DrawRound(Base):
    """One draw of a request, as the audit record: the pool, its hash, who came out in what order."""

    __tablename__ = "draw_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("draw_request.id"), index=True)
    round_no: Mapped[int] = mapped_column(Integer)
    wanted: Mapped[int] = mapped_column(Integer)
    """Experts this round was to find: the request's number less those already accepted."""
    pool: Mapped[str] = mapped_column(Text)
    """`bot.domain.draws.pool_text`: sorted expert ids, `*` after a preferred one."""
    pool_hash: Mapped[str] = mapped_column(String(64))
    drawn: Mapped[list[Any]] = mapped_column(JSON)
    reserve: Mapped[list[Any]] = mapped_column(JSON)
    drawn_by: Mapped[int | None] = mapped_column(BigInteger)
    drawn_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("request_id", "round_no", name="uq_draw_round_request_round"),)


class Invitation(Base):
    """One drawn expert's invitation; `position` is their place in the round's order."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("draw_request.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("draw_round.id"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), index=True)
    """`bot.domain.draws.InvitationStatus` value."""
    invited_at: Mapped[datetime]
    reply_by: Mapped[datetime | None] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        UniqueConstraint("request_id", "expert_id", name="uq_invitation_request_expert"),
    )


class Booking(Base):
    """A day an expert is held by an invitation (open or accepted): the key makes a double booking
    impossible, whatever two draws do at once."""

    __tablename__ = "booking"

    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    """Indexed on its own too: the pool asks who is held on given days."""
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), index=True)


class WorkRecord(Base):
    """What the using unit recorded after the work, and the expert's answer."""

    __tablename__ = "work_record"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), primary_key=True)
    hours: Mapped[int] = mapped_column(Integer)
    """Tenths of an hour."""
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    fee_fen: Mapped[int] = mapped_column(BigInteger)
    """专家费用 in fen (0.01 yuan)."""
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(10))
    """`confirmed` or `disputed` (bot.domain.draws.WorkAnswer); None until the expert answers."""
    answer_note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]


class ExpertLeave(Base):
    """A period an expert cannot be drawn (请假), recorded by the bureau."""

    __tablename__ = "expert_leave"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime]


class DrawEvent(Base):
    """The audit trail of requests, draws, invitations and work records."""

    __tablename__ = "draw_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("draw_request.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    """Person id; None for the bot itself (a timeout) or the command line."""
    at: Mapped[datetime]
