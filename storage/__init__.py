"""SQLAlchemy models, the store, the FSM storage and the migrations.

Importing the package registers every table on `storage.models.Base.metadata`,
also those defined beside the code that uses them (`updates`, `lease`), so
the migrations and the schema check always see the whole schema.
"""

from storage import lease, updates  # noqa: F401
