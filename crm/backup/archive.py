"""The archive file. Written under a hidden temporary name beside the final one and renamed only once complete
(a failed or interrupted backup never leaves a file that looks like an archive); read back with every file checked
against the manifest's size and sha256 as it is extracted."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from crm.domain.backups import MANIFEST, ManifestError

CHUNK = 1024 * 1024
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)


class ArchiveWriter:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self.files: list[dict[str, Any]] = []
        self.missing: list[str] = []

    def add(self, member: str, path: Path, *, compress: bool, optional: bool = False) -> None:
        """Copy a file in, hashing it on the way. An ``optional`` file that is gone is listed as missing."""
        try:
            source = open(path, "rb")
        except FileNotFoundError:
            if not optional:
                raise
            self.missing.append(member)
            return
        info = zipfile.ZipInfo(member, date_time=time.localtime()[:6])
        # Photos, PDFs and pg_dump's custom format are compressed already; only the SQLite file gains from it.
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        digest, size = hashlib.sha256(), 0
        with source, self._archive.open(info, "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.files.append({"name": member, "size": size, "sha256": digest.hexdigest()})


@contextmanager
def writing(final: Path, fields: dict[str, Any]) -> Iterator[ArchiveWriter]:
    """An archive at ``final`` whose manifest is ``fields`` plus the files added (and those found missing)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.{secrets.token_hex(4)}.partial")
    try:
        # 0600: the archive holds everything, password hashes included.
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            with zipfile.ZipFile(handle, "w", allowZip64=True) as archive:
                writer = ArchiveWriter(archive)
                yield writer
                manifest = {**fields, "files": writer.files, "missing": writer.missing}
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class ArchiveReader:
    def __init__(self, archive: zipfile.ZipFile, manifest: Any) -> None:
        self._archive = archive
        self.manifest = manifest
        self.members = archive.namelist()

    def extract(self, member: str, target: Path) -> None:
        """Write one file to ``target``; ManifestError when its bytes are not those the manifest lists."""
        entry = next(e for e in self.manifest["files"] if e["name"] == member)
        digest, size = hashlib.sha256(), 0
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._archive.open(member) as source, open(target, "xb") as output:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    output.write(chunk)
        except _DAMAGED as error:
            raise ManifestError(f"{member}: the archive is damaged ({error})") from error
        if size != entry.get("size") or digest.hexdigest() != entry.get("sha256"):
            raise ManifestError(f"{member}: size or sha256 differs from the manifest: the archive is damaged or was altered")


@contextmanager
def reading(path: Path) -> Iterator[ArchiveReader]:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ManifestError(f"no such file: {path}") from error
    except _DAMAGED as error:
        raise ManifestError(f"{path} is not a CRM backup archive ({error})") from error
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except KeyError as error:
            raise ManifestError(f"{path} has no {MANIFEST}: not a CRM backup archive") from error
        except (*_DAMAGED, ValueError) as error:
            raise ManifestError(f"{path}: unreadable {MANIFEST} ({error})") from error
        yield ArchiveReader(archive, manifest)
