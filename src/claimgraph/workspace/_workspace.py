"""The :class:`Workspace`: a claimgraph store shared by a team (accounts, jobs, corrections, search)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .accounts import Tokens, Users
from .audit import Audit

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["FILES_ENV", "Workspace"]

#: Environment variable naming the folder where uploaded files are kept (see :attr:`Workspace.files_dir`).
FILES_ENV = "CLAIMGRAPH_FILES_DIR"


def default_files_dir(url: str) -> Path:
    """Where uploads go: beside a SQLite file (``claimgraph.db`` -> ``claimgraph.files/``); for a server
    database ``$CLAIMGRAPH_FILES_DIR``, else ``~/.local/share/claimgraph/files/<hash of the URL>``."""
    from ..store._urls import mask_url, sqlite_path

    env = os.environ.get(FILES_ENV)
    if env:
        return Path(env).expanduser().resolve()
    path = sqlite_path(url)
    if path is not None:
        return path.with_name(path.stem + ".files")
    digest = hashlib.sha256(mask_url(url).encode("utf-8")).hexdigest()[:16]
    return Path.home() / ".local" / "share" / "claimgraph" / "files" / digest


class Workspace:
    """A shared claimgraph workspace over a :class:`~claimgraph.store.Store`.

    ::

        with Workspace.open("newsroom/claimgraph.db") as ws:
            admin = ws.users.add("ana", "a long passphrase", "admin")
            ws.audit.record(admin, "user.add", "ana", {"role": "admin"})

    Parts: :attr:`users`, :attr:`tokens`, :attr:`audit`, :attr:`jobs`, :attr:`corrections`,
    :attr:`reliability`; :meth:`search`, :meth:`reanalyse_provenance`, :meth:`run_worker`.
    """

    def __init__(self, store: Store, files_dir: Path | None = None) -> None:
        self.store = store
        self.files_dir = files_dir if files_dir is not None else default_files_dir(store.url)
        """Uploaded files are saved under ``files_dir/uploads/`` (see :meth:`save_upload`)."""
        self.users = Users(store)
        self.tokens = Tokens(store, self.users)
        self.audit = Audit(store)

    @classmethod
    def open(cls, url_or_path: str | Path, *, files_dir: str | Path | None = None) -> Workspace:
        """Open (creating if needed) the workspace at a SQLAlchemy URL or a SQLite file path."""
        from ..store import Store

        store = Store.open(url_or_path)
        return cls(store, Path(files_dir).resolve() if files_dir is not None else None)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.store.display_url!r})"
