"""The workspace store (SQLite by default, PostgreSQL by URL), through SQLAlchemy Core.

- :func:`default_db_url` -- ``sqlite:///OUT/claimgraph.db``;
- :func:`normalise_url` -- a bare path or URL as typed -> a SQLAlchemy URL (``postgresql://`` uses psycopg 3);
- :class:`Store` -- documents (idempotent by content hash), input problems, the analysis, an annotation cache.

Importing this module imports SQLAlchemy: import it only when a store is needed (see ``docs/store.md``).
"""

from __future__ import annotations

from ._lock import workspace_lock
from ._store import Store
from ._tables import SCHEMA_VERSION
from ._urls import DB_FILENAME, default_db_url, mask_url, normalise_url

__all__ = [
    "DB_FILENAME",
    "SCHEMA_VERSION",
    "Store",
    "default_db_url",
    "mask_url",
    "normalise_url",
    "workspace_lock",
]
