"""Storing, serving and deleting attached files.

Rules:
- Only PDF, JPG and PNG, judged from the file's first bytes (magic numbers), never from the
  name or the browser's Content-Type; the name's extension must agree with the content.
- At most ``MAX_SIZE`` bytes per file (the app-wide request limit is larger, so the user gets
  a message next to the field rather than an error page).
- Files live under the instance folder (``attachments/ab/cd/<random token>``), never under
  ``crm/static``; they are served only through a view that has loaded the owning record
  with the access helpers.
- Services flush, the request commits (DESIGN §2). A file written for a transaction that
  then rolls back is removed; a file whose row is deleted is removed only once the delete
  is committed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import filetype
import sqlalchemy as sa
from flask import Response, current_app, send_file
from flask_babel import gettext as _
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from crm.attachments.models import Attachment
from crm.errors import FieldError
from crm.extensions import db

MAX_SIZE = 20 * 1024 * 1024
MAX_SIZE_TEXT = "20 MB"
CHUNK = 1024 * 1024
NAME_MAX = 255
# Detected MIME type -> the extensions a file of that type may carry.
ALLOWED: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
KIND_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
ACCEPT = ",".join(ext for exts in ALLOWED.values() for ext in exts)
TOKEN = re.compile(r"[0-9a-f]{32}")
log = logging.getLogger(__name__)

_NEW_FILES = "attachments_new_files"  # written in this transaction: removed if it does not commit
_DOOMED_FILES = "attachments_doomed_files"  # rows deleted in this transaction: files removed once it commits


class AttachmentError(FieldError):
    pass


def storage_root() -> Path:
    """Where files are kept: ``CRM_ATTACHMENT_DIR`` if configured, else ``<instance>/attachments``."""
    configured = current_app.config.get("CRM_ATTACHMENT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "attachments"


def incoming_dir() -> Path:
    """Files being written (uploads, a restore) before they are moved into place: inside the storage root, so that
    the move is a rename on the same file system. Never part of a backup."""
    return storage_root() / "incoming"


def path_of(attachment: Attachment) -> Path:
    return stored_path(attachment.stored_name)


def stored_path(name: str) -> Path:
    """Where the file of a stored name lives (``ab/cd/abcd…``); the backups read and restore files by it."""
    if not TOKEN.fullmatch(name or ""):  # the name is ours; anything else is tampering
        raise FileNotFoundError(name)
    return storage_root() / name[:2] / name[2:4] / name


def clean_original_name(raw: str | None, extension: str) -> str:
    """What the user called the file, minus any path, control characters and excess length.

    A name without an extension gets the one of its content, so that it opens once downloaded.
    """
    name = _base_name(raw)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs")).strip(" .")
    stem, ext = os.path.splitext(name)
    if not ext:
        stem, ext = name, extension
    stem = stem or _("附件")
    return stem[: NAME_MAX - len(ext)] + ext


def _copy_limited(source: IO[bytes], target: IO[bytes]) -> tuple[int, str, bytes]:
    """Copy at most MAX_SIZE bytes; returns (size, sha256, first bytes). Raises when the file is larger."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if size > MAX_SIZE:
            raise AttachmentError("file", _("文件不能超过 %(size)s", size=MAX_SIZE_TEXT))
        if len(head) < 512:
            head += chunk[: 512 - len(head)]
        digest.update(chunk)
        target.write(chunk)
    return size, digest.hexdigest(), head


def _base_name(raw: str | None) -> str:
    """The name without any folder a browser may have sent along (C:\\fakepath\\…, ../…)."""
    return re.split(r"[/\\]", unicodedata.normalize("NFC", raw or ""))[-1]


def _detected_type(head: bytes, original: str) -> str:
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime not in ALLOWED:
        raise AttachmentError("file", _("只能上传 PDF、JPG 或 PNG 文件（按文件内容判断，只改扩展名无效）"))
    extension = os.path.splitext(_base_name(original).strip(" ."))[1].lower()
    if extension and extension not in ALLOWED[mime]:
        raise AttachmentError(
            "file", _("文件内容是 %(kind)s，与扩展名 %(ext)s 不符，请上传原始文件", kind=KIND_NAMES[mime], ext=extension)
        )
    return mime


def _project_of(record: Any) -> int | None:
    """The project a record belongs to (itself when it is one), so its 服务专班 sees the file."""
    if inspect(record).mapper.local_table.name == "projects":
        return int(record.id)
    return getattr(record, "project_id", None)


def _owning_unit(record: Any) -> int:
    """The record's unit, or for a project's record (milestone, progress …) the project's unit."""
    unit_id = getattr(record, "unit_id", None)
    return int(unit_id if unit_id is not None else record.project.unit_id)


def store(file_storage: Any, record: Any, uploaded_by_id: int | None = None) -> Attachment:
    """Keep an uploaded file (a werkzeug ``FileStorage``) for ``record``, which has ``id`` and ``unit_id``
    (or belongs to a project).

    Refusals (no file, empty, too large, not a PDF/JPG/PNG, content and extension disagree)
    are ``AttachmentError``s on the field ``file``; nothing is kept then.
    """
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise AttachmentError("file", _("请选择要上传的文件"))
    incoming = incoming_dir()
    incoming.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    temporary = incoming / token
    try:
        with open(temporary, "xb") as target:
            size, sha256, head = _copy_limited(file_storage.stream, target)
        if size == 0:
            raise AttachmentError("file", _("文件是空的，请重新选择"))
        content_type = _detected_type(head, file_storage.filename)
        attachment = Attachment(
            record_type=inspect(record).mapper.local_table.name,
            record_id=record.id,
            unit_id=_owning_unit(record),
            project_id=_project_of(record),
            original_name=clean_original_name(file_storage.filename, ALLOWED[content_type][0]),
            size=size,
            sha256=sha256,
            content_type=content_type,
            stored_name=token,
            uploaded_by_id=uploaded_by_id,
        )
        final = path_of(attachment)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    db.session.info.setdefault(_NEW_FILES, []).append(str(final))
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachments_of(record: Any) -> list[Attachment]:
    """The record's attachments, oldest first (scoped like every query: another unit's record has none)."""
    return list(
        db.session.scalars(
            sa.select(Attachment)
            .where(Attachment.record_type == inspect(record).mapper.local_table.name, Attachment.record_id == record.id)
            .order_by(Attachment.id)
        )
    )


def attachment_of(record: Any, attachment_id: int) -> Attachment | None:
    """One attachment, only if it belongs to ``record`` (a URL cannot pair a record with another's file)."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        return None
    if attachment.record_type != inspect(record).mapper.local_table.name or attachment.record_id != record.id:
        return None
    return attachment


def open_for(attachment: Attachment) -> IO[bytes]:
    """The stored file, opened for reading; the caller closes it."""
    return open(path_of(attachment), "rb")


def content_disposition(name: str, download: bool) -> str:
    """``inline``/``attachment`` with an ASCII fallback name and the real one per RFC 5987 (``filename*``)."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r'[^A-Za-z0-9._ ()+-]', "_", fallback).strip() or "attachment"
    stem, ext = os.path.splitext(name)
    if not os.path.splitext(fallback)[1] and ext.isascii():
        fallback += ext
    kind = "attachment" if download else "inline"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


# A served file never runs in the app's origin: a PDF opened in the browser's viewer could carry script and forms.
# Only photos are shown in place (the pages show them); everything else is a download, and every file comes with
# a sandboxing policy that forbids script, plugins and forms whatever the browser makes of it.
SHOWN_IN_PLACE = frozenset({"image/jpeg", "image/png"})
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def send(attachment: Attachment, download: bool = False) -> Response:
    """The file as a response with its detected type, its original name, ``nosniff`` and a sandbox: inline only
    for photos, a download otherwise."""
    download = download or attachment.content_type not in SHOWN_IN_PLACE
    path = path_of(attachment)
    if not path.is_file():
        current_app.logger.error("attachment %s: file %s is missing", attachment.id, path)
        raise FileNotFoundError(str(path))
    response = send_file(
        path,
        mimetype=attachment.content_type,
        conditional=True,
        etag=attachment.sha256,
        last_modified=attachment.uploaded_at,
        max_age=None,
    )
    response.headers["Content-Disposition"] = content_disposition(attachment.original_name, download)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


def delete(attachment: Attachment) -> None:
    """Delete the row (audited); the file goes once the deletion is committed."""
    db.session.info.setdefault(_DOOMED_FILES, []).append(str(path_of(attachment)))
    db.session.delete(attachment)
    db.session.flush()


# --- keeping files and rows in step with the transaction ------------------------------------
def _remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError:  # never fail a request over a file that could not be removed
            log.exception("could not remove attachment file %s", path)


def _after_commit(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)
    _remove(session.info.pop(_DOOMED_FILES, []))


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is not None:  # a savepoint ended: the outer transaction decides
        return
    # Reached after a commit too, with nothing left to do; otherwise the rows were rolled back.
    session.info.pop(_DOOMED_FILES, None)
    _remove(session.info.pop(_NEW_FILES, []))


def install(session_factory: Any) -> None:
    if not event.contains(session_factory, "after_commit", _after_commit):
        event.listen(session_factory, "after_commit", _after_commit)
        event.listen(session_factory, "after_transaction_end", _after_transaction_end)
