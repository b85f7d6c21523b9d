"""The backup archive: a plain tar of the database, the media and, last, manifest.json.

manifest.json lists every other member with its size and SHA-256, so that a
restore proves the whole archive sound before it touches anything. It is
written last because its checksums are taken while the files are copied in:
each file is read once, and what is hashed is exactly what was stored.
"""

import hashlib
import json
import os
import posixpath
import re
import tarfile
import time
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _, ngettext

from .errors import ArchiveRefused, printable

FORMAT = "minbar-backup"
# Raise it when a restore written for the old format could not read the new one.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
SECRET_KEY_MEMBER = "secret_key"
ENGINES = ("sqlite", "postgresql")
# A manifest lists file names and checksums: far below this even for a site
# with a million images. A bigger one is not ours and is not read into memory.
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")

NOTHING_CHANGED = _("Nothing was changed.")
NO_SUCH_FILE = _("There is no file %(path)s.")
NOT_A_TAR = _("%(path)s is not a Minbar backup: it is not a tar archive, or it is damaged.")
CUT_SHORT = _("%(path)s is damaged: it ends before its contents do (a copy cut short?).")
NO_MANIFEST = _(
    "%(path)s is damaged or is not a Minbar backup: it has no manifest.json (a copy cut short ends before it)."
)
MANIFEST_NOT_JSON = _("%(path)s is not a Minbar backup: its manifest.json cannot be read.")
MANIFEST_FIELD = _("%(path)s is not a Minbar backup: the %(field)s of its manifest.json is missing or wrong.")
NEWER_FORMAT = _(
    "%(path)s was made by a newer Minbar (backup format %(found)s; this Minbar reads formats up to %(supported)s). "
    "Upgrade Minbar, then restore it."
)
UNSAFE_MEMBER = _("%(path)s is not a Minbar backup: it holds %(member)s, which is not a plain file with a safe name.")
UNLISTED_MEMBER = _("%(path)s is not a Minbar backup: it holds %(member)s, which its manifest does not list.")
MISSING_MEMBER = _("%(path)s is damaged: %(member)s is missing from it.")
CHECKSUM_MISMATCH = _("%(path)s is damaged: %(member)s does not match the size and checksum its manifest records.")
UNREADABLE_MEMBER = _("%(path)s is damaged: %(member)s cannot be read to its end.")
USE_ANOTHER_COPY = _("Use another copy of the backup.")


def file_count(count):
    """'1 file', '12 files', in the operator's language."""
    return ngettext("%(count)s file", "%(count)s files", count) % {"count": count}


def refused(message, **values):
    """An ArchiveRefused whose message ends by saying that nothing was changed."""
    values = {name: printable(value) for name, value in values.items()}
    return ArchiveRefused(f"{message % values} {NOTHING_CHANGED}")


class HashingReader:
    """Hand on what is read from `raw`, hashing and counting it on the way."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Write members one by one into an open binary file; `finish` adds the manifest."""

    def __init__(self, fileobj):
        self.tar = tarfile.open(fileobj=fileobj, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8")
        self.files = []

    def add_file(self, member, path):
        with open(path, "rb") as raw:
            info = tarfile.TarInfo(member)
            status = os.fstat(raw.fileno())
            info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
            reader = HashingReader(raw)
            # Reads exactly info.size bytes: a file that grows meanwhile is
            # stored and hashed as it was when the copy began.
            self.tar.addfile(info, reader)
        self.files.append({"path": member, "size": reader.size, "sha256": reader.sha256.hexdigest()})

    def finish(self, manifest):
        data = json.dumps({**manifest, "files": self.files}, ensure_ascii=False, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
        self.tar.addfile(info, _BytesReader(data))
        self.tar.close()


class _BytesReader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


@dataclass
class VerifiedArchive:
    """An archive whose every member matched its manifest when it was checked."""

    path: str
    manifest: dict

    @property
    def checksums(self):
        return {entry["path"]: entry["sha256"] for entry in self.manifest["files"]}

    @property
    def media_members(self):
        return [entry["path"] for entry in self.manifest["files"] if entry["path"].startswith(MEDIA_PREFIX)]

    @property
    def has_secret_key(self):
        return SECRET_KEY_MEMBER in self.checksums

    def open(self):
        return tarfile.open(self.path, mode="r:", encoding="utf-8")

    def copy_member(self, tar, member, destination):
        """Write `member` into the open binary file `destination`, fsync it, and check it again.

        The archive was checked before, but it may have been replaced since:
        what is written must be what was checked.
        """
        reader = HashingReader(_member_file(tar, member, self.path))
        while chunk := reader.read(CHUNK_BYTES):
            destination.write(chunk)
        destination.flush()
        os.fsync(destination.fileno())
        if reader.sha256.hexdigest() != self.checksums[member]:
            raise refused(CHECKSUM_MISMATCH, path=self.path, member=member)


def is_safe_member_name(name):
    """A relative POSIX path without '..', '.' or empty parts (tar names come from whoever made the file)."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    return posixpath.normpath(name) == name and ".." not in name.split("/")


def verify(path):
    """Check the archive at `path` against its manifest, reading every byte; return it, or raise ArchiveRefused."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise refused(NO_SUCH_FILE, path=path)
    try:
        tar = tarfile.open(path, mode="r:", encoding="utf-8")
    except (tarfile.TarError, OSError, EOFError):
        raise refused(NOT_A_TAR, path=path) from None
    with tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, OSError, EOFError):
            raise refused(f"{CUT_SHORT} {USE_ANOTHER_COPY}", path=path) from None
        by_name = {}
        for member in members:
            if not member.isfile() or not is_safe_member_name(member.name) or member.name in by_name:
                raise refused(UNSAFE_MEMBER, path=path, member=member.name)
            by_name[member.name] = member
        if MANIFEST not in by_name:
            raise refused(NO_MANIFEST, path=path)
        manifest = _read_manifest(tar, by_name[MANIFEST], path)
        listed = {entry["path"]: entry for entry in manifest["files"]}
        for name in by_name:
            if name != MANIFEST and name not in listed:
                raise refused(UNLISTED_MEMBER, path=path, member=name)
        for name, entry in listed.items():
            if name not in by_name:
                raise refused(f"{MISSING_MEMBER} {USE_ANOTHER_COPY}", path=path, member=name)
            reader = HashingReader(_member_file(tar, by_name[name], path))
            while reader.read(CHUNK_BYTES):
                pass
            if reader.size != entry["size"] or reader.sha256.hexdigest() != entry["sha256"]:
                raise refused(f"{CHECKSUM_MISMATCH} {USE_ANOTHER_COPY}", path=path, member=name)
    return VerifiedArchive(path=path, manifest=manifest)


def _member_file(tar, member, path):
    """A reader of `member` whose failures (a cut-off archive) become ArchiveRefused."""
    name = member if isinstance(member, str) else member.name
    try:
        raw = tar.extractfile(member)
    except (tarfile.TarError, OSError, EOFError, KeyError):
        raw = None
    if raw is None:
        raise refused(f"{UNREADABLE_MEMBER} {USE_ANOTHER_COPY}", path=path, member=name)
    return _GuardedReader(raw, path, name)


class _GuardedReader:
    def __init__(self, raw, path, name):
        self.raw, self.path, self.name = raw, path, name

    def read(self, size=-1):
        try:
            return self.raw.read(size)
        except (tarfile.TarError, OSError, EOFError):
            raise refused(f"{UNREADABLE_MEMBER} {USE_ANOTHER_COPY}", path=self.path, member=self.name) from None


def _read_manifest(tar, member, path):
    if member.size > MANIFEST_MAX_BYTES:
        raise refused(MANIFEST_NOT_JSON, path=path)
    data = _member_file(tar, member, path).read()
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise refused(MANIFEST_NOT_JSON, path=path) from None
    if not isinstance(manifest, dict):
        raise refused(MANIFEST_NOT_JSON, path=path)
    _check_manifest(manifest, path)
    return manifest


def _check_manifest(manifest, path):
    def field_is(name, check):
        if not check(manifest.get(name)):
            raise refused(MANIFEST_FIELD, path=path, field=name)

    field_is("format", lambda value: value == FORMAT)
    field_is("format_version", lambda value: isinstance(value, int) and not isinstance(value, bool) and value >= 1)
    if manifest["format_version"] > FORMAT_VERSION:
        raise refused(NEWER_FORMAT, path=path, found=manifest["format_version"], supported=FORMAT_VERSION)
    field_is("created_at", lambda value: isinstance(value, str))
    field_is("minbar_version", lambda value: isinstance(value, str))
    field_is("engine", lambda value: value in ENGINES)
    field_is("media_included", lambda value: isinstance(value, bool))
    field_is("secret_key_included", lambda value: isinstance(value, bool))
    field_is(
        "migrations",
        lambda value: isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
    )
    field_is("files", lambda value: isinstance(value, list) and all(_is_file_entry(entry) for entry in value))
    paths = [entry["path"] for entry in manifest["files"]]
    field_is("files", lambda value: len(set(paths)) == len(paths) and MANIFEST not in paths)
    field_is("database", lambda value: isinstance(value, str) and value in paths)


def _is_file_entry(entry):
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and is_safe_member_name(entry["path"])
        and isinstance(entry.get("size"), int)
        and entry["size"] >= 0
        and isinstance(entry.get("sha256"), str)
        and SHA256_PATTERN.fullmatch(entry["sha256"]) is not None
    )
