"""A claimgraph workspace shared by a team: accounts, API tokens, an audit log, background jobs, analyst
corrections that survive re-analysis, an editable reliability registry and full-text search.

The library layer of ``claimgraph serve`` (no HTTP here); see ``docs/workspace.md``::

    from claimgraph.workspace import Workspace

    with Workspace.open("newsroom/claimgraph.db") as ws:
        user = ws.users.authenticate("ana", "a long passphrase")

Importing this package imports SQLAlchemy (through the store): import it only when a workspace is needed.
"""

from __future__ import annotations

from ._workspace import FILES_ENV, STATE_KEY, Workspace, default_files_dir
from .accounts import ROLES, ApiToken, Role, User
from .audit import AuditEntry
from .corrections import Correction
from .jobs import JOB_KINDS, Job, JobProgress
from .reliability import ReliabilityEntry
from .search import SearchHit

__all__ = [
    "FILES_ENV",
    "JOB_KINDS",
    "ROLES",
    "STATE_KEY",
    "ApiToken",
    "AuditEntry",
    "Correction",
    "Job",
    "JobProgress",
    "ReliabilityEntry",
    "Role",
    "SearchHit",
    "User",
    "Workspace",
    "default_files_dir",
]
