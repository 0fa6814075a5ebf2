"""The migrations build exactly the schema the models describe, with the districts seeded."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from storage.models import Base, District


async def test_migrations_match_the_models(engine) -> None:
    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection)
        return compare_metadata(context, Base.metadata)

    assert await engine.run_sync(diff) == []


async def test_all_41_districts_are_present_from_the_first_migration(sessionmaker) -> None:
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(District)) == 41
        codes = set((await session.execute(select(District.code))).scalars())
    assert {"500103", "500243", "SZ01", "SZ02", "SZ03"} <= codes
