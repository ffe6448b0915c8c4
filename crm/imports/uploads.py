"""An uploaded sheet between its steps (mapping → preview → confirm): the file, who sent it and what they chose.

The upload page is several requests; the file is kept on disk under ``CRM_IMPORT_UPLOAD_DIR`` (default
``<instance>/import-uploads``) in a folder named by a random token, with a small JSON of its choices and the
preview's rows as they are planned part by part. Only the user who uploaded it can open it (anyone else gets
None, which the page answers with 404). A confirmed or abandoned upload is removed; uploads older than
``KEEP_HOURS`` are swept away whenever someone uploads.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app

KEEP_HOURS = 24
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,60}$")


def upload_dir() -> Path:
    configured = current_app.config.get("CRM_IMPORT_UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "import-uploads"


@dataclass
class Upload:
    token: str
    user_id: int
    file_name: str
    sha256: str
    kind: str
    unit_id: int | None
    created: float
    sheet: str | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)  # column letter → field (None: left out)
    header_rows: tuple[int, int] | None = None  # 1-based, as the user named them when none was found
    defaults: dict[str, str] = field(default_factory=dict)  # field → enum value chosen up front
    remember: bool = True  # keep the columns for the unit's next upload of this kind

    @property
    def folder(self) -> Path:
        return upload_dir() / self.token

    def data(self) -> bytes:
        return (self.folder / "file").read_bytes()

    def save(self) -> None:
        meta = asdict(self)
        (self.folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    # The preview's state: the rows planned so far and what planning carries from row to row. Written and read by
    # this server only (never from a request's body), hence pickle.
    def save_progress(self, state: Any) -> None:
        tmp = self.folder / "progress.tmp"
        tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(self.folder / "progress.pickle")

    def progress(self) -> Any:
        path = self.folder / "progress.pickle"
        return pickle.loads(path.read_bytes()) if path.exists() else None

    def forget_progress(self) -> None:
        (self.folder / "progress.pickle").unlink(missing_ok=True)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def save_upload(user_id: int, file_name: str, data: bytes, kind: str, unit_id: int | None) -> Upload:
    sweep()
    upload = Upload(secrets.token_urlsafe(24), user_id, file_name, hashlib.sha256(data).hexdigest(), kind, unit_id, time.time())
    upload.folder.mkdir(parents=True)
    (upload.folder / "file").write_bytes(data)
    upload.save()
    return upload


def load_upload(token: str, user_id: int) -> Upload | None:
    """The user's own upload, or None (another user's, expired, or a made-up token)."""
    if not TOKEN.match(token):
        return None
    try:
        meta = json.loads((upload_dir() / token / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id or time.time() - meta.get("created", 0) > KEEP_HOURS * 3600:
        return None
    if meta.get("header_rows"):
        meta["header_rows"] = tuple(meta["header_rows"])
    return Upload(**meta)


def sweep() -> None:
    """Remove uploads nobody confirmed within ``KEEP_HOURS``."""
    root = upload_dir()
    if not root.is_dir():
        return
    cutoff = time.time() - KEEP_HOURS * 3600
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
