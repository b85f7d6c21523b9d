"""WordPress attachments → Wagtail images, from a copy of the old site's wp-content/uploads folder.

The export names each attachment's file (meta `_wp_attached_file`, or its
`attachment_url`) but does not hold the file; the person importing gives a
copy of the uploads folder with `--media`. Every path in the export is
hostile input: it is resolved inside that folder or refused.

Posts point at their images two ways: by attachment ID (featured image,
`wp-image-123` classes) and by URL, often of a resized copy
("photo-300x200.jpg") or on another address of the same site. `image_for`
and `cover_for` answer both once `import_all` has run.

A dry run writes the Image rows (so IDs handed to the rest of the import
are real) but copies no file; the caller rolls the transaction back.
"""

import hashlib
import html
import json
import re
import urllib.parse
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.utils import get_allowed_image_extensions

from minbar.imports.items import one_line

from . import records
from .models import ObjectKind, WordPressObject, remember

try:
    from .content import ImageRef
except ImportError:  # the content part has not landed yet: the same shape

    @dataclass(frozen=True)
    class ImageRef:
        id: int
        alt: str = ""


# Changing how images are made from attachments changes this, so a re-run updates them all.
FORMAT_VERSION = 1
CAPTION_LIMIT = 300
TITLE_LIMIT = 255  # wagtail Image.title and .description
BATCH_SIZE = 100
UPLOADS = "/wp-content/uploads/"
# WordPress's resized copies: "photo-300x200.jpg" next to "photo.jpg".
_SIZE_SUFFIX = re.compile(r"-\d{1,5}x\d{1,5}(?=\.[^./]+$)")
# Since WordPress 5.3 a big upload is kept as "photo-scaled.jpg" (or "-rotated") while pages may still name "photo.jpg".
_SCALED_SUFFIX = re.compile(r"-(?:scaled|rotated)(?=\.[^./]+$)")
_WP_ID_DIGITS = 19  # beyond a bigint: not an ID
_QUERY_CHUNK = 900

NO_MEDIA_DIR = _("Images not imported because no uploads folder was given (--media): %(count)s")
MISSING = _("Image file not found in the uploads folder; the image was not imported")
NO_FILE_NAMED = _("Attachment names no file in the uploads folder; not imported")
REFUSED = _("Attachment file path leads outside the uploads folder; refused")
UNREADABLE = _("Image file could not be read (damaged, or not the format its name says); not imported")
TOO_MANY_PIXELS = _("Image has more than %(limit)s pixels; not imported")
NOT_AN_IMAGE = _("Attachment is not an image (%(extension)s); not imported")


@dataclass
class MediaOutcome:
    """Counts under the report's keys ("images.created", …) and warnings (message, params, wp_ids)."""

    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)

    def warn(self, message, params=None, wp_ids=()):
        self.warnings.append((message, params or {}, tuple(wp_ids)))


@dataclass(frozen=True)
class _Attachment:
    """What one image attachment says, cleaned."""

    wp_id: int
    title: str
    alt: str
    caption: str
    paths: tuple  # candidate paths relative to uploads, best first


class _Unusable(Exception):
    def __init__(self, message, params=None):
        super().__init__(message)
        self.message = message
        self.params = params or {}


class MediaLibrary:
    def __init__(self, source, media_dir, attachments, *, base_urls=(), dry_run=False):
        self.source = source
        self.media_dir = Path(media_dir) if media_dir else None
        self.dry_run = dry_run
        self._extensions = {extension.lower() for extension in get_allowed_image_extensions()}
        self._images = {}  # wp_id → _Attachment, for every image attachment
        self._others = {}  # wp_id → extension of attachments that are not images
        self._captions = {}  # wp_id → caption of any attachment
        self._by_path = {}  # path relative to uploads → wp_id
        self._prefixes = {_address(base.rstrip("/") + UPLOADS) for base in base_urls if base}
        self._image_ids = {}  # wp_id → wagtail Image pk, filled by import_all
        for wp_id, item in attachments.items():
            self._take(wp_id, item)

    # --- what the export says ----------------------------------------------------

    def _take(self, wp_id, item: records.Item):
        attached = (item.meta_value("_wp_attached_file") or "").strip()
        url = (item.attachment_url or item.guid or "").strip()
        paths = []
        for candidate in (_relative_to_uploads(attached), _relative_to_uploads(url)):
            if candidate and candidate not in paths:
                paths.append(candidate)
        self._captions[wp_id] = _caption(item.excerpt)
        name = PurePosixPath(paths[0]).name if paths else ""
        extension = PurePosixPath(name or urllib.parse.unquote(urllib.parse.urlsplit(url).path)).suffix
        extension = extension.lstrip(".").lower()
        if extension not in self._extensions:
            self._others[wp_id] = extension
            return
        self._images[wp_id] = _Attachment(
            wp_id=wp_id,
            title=(one_line(item.title) or one_line(name))[:TITLE_LIMIT],
            alt=one_line(item.meta_value("_wp_attachment_image_alt") or "")[:TITLE_LIMIT],
            caption=self._captions[wp_id],
            paths=tuple(paths),
        )
        for path in paths:
            self._by_path.setdefault(path, wp_id)
            unscaled = _SCALED_SUFFIX.sub("", path)
            self._by_path.setdefault(unscaled, wp_id)
        # An export from a host that serves uploads elsewhere (a CDN, files.wordpress.com):
        # whatever precedes the file's path in its URL is where this site's uploads live.
        address = _address(url)
        for path in paths:
            if address.endswith("/" + path):
                self._prefixes.add(address[: -len(path)])

    # --- the import ----------------------------------------------------------------

    def import_all(self) -> MediaOutcome:
        outcome = MediaOutcome()
        if self._others:
            by_extension = {}
            for wp_id, extension in sorted(self._others.items()):
                by_extension.setdefault(extension or "?", []).append(wp_id)
            for extension, wp_ids in by_extension.items():
                outcome.warn(NOT_AN_IMAGE, {"extension": one_line(extension)[:16]}, wp_ids)
            outcome.counts["attachments.other"] = len(self._others)
        if self.dry_run and not connection.in_atomic_block:
            raise RuntimeError("A dry run writes image rows: run it in a transaction that is rolled back.")
        known = self._known()
        if self.media_dir is None:
            self._without_files(known, outcome)
            return outcome
        root = self.media_dir.resolve()
        pending = []
        for wp_id in sorted(self._images):
            pending.append(wp_id)
            if len(pending) >= BATCH_SIZE:
                self._import_batch(pending, root, known, outcome)
                pending = []
        if pending:
            self._import_batch(pending, root, known, outcome)
        return outcome

    def _known(self):
        """{wp_id: (image pk, fingerprint)} of images a previous run made that still exist."""
        rows = WordPressObject.objects.filter(source=self.source, kind=ObjectKind.ATTACHMENT)
        remembered = {}
        for wp_id, object_id, fingerprint in rows.values_list("wp_id", "object_id", "fingerprint"):
            if wp_id.isascii() and wp_id.isdigit():
                remembered[int(wp_id)] = (object_id, fingerprint)
        pks = sorted({pk for pk, _fingerprint in remembered.values()})
        existing = set()
        for start in range(0, len(pks), _QUERY_CHUNK):  # SQLite limits the parameters of one query
            chunk = pks[start : start + _QUERY_CHUNK]
            existing.update(get_image_model().objects.filter(pk__in=chunk).values_list("pk", flat=True))
        return {wp_id: known for wp_id, known in remembered.items() if known[0] in existing}

    def _without_files(self, known, outcome):
        """No uploads folder: images of an earlier run stay in use; the rest are missing, said once."""
        missing = 0
        for wp_id in self._images:
            if wp_id in known:
                self._image_ids[wp_id] = known[wp_id][0]
                outcome.counts["images.unchanged"] += 1
            else:
                missing += 1
        if missing:
            outcome.counts["images.missing"] = missing
            outcome.warn(NO_MEDIA_DIR, {"count": missing})

    def _import_batch(self, wp_ids, root, known, outcome):
        made, fingerprints = [], {}
        with transaction.atomic():
            for wp_id in wp_ids:
                attachment = self._images[wp_id]
                try:
                    path, relative = self._locate(attachment, root)
                except _Unusable as problem:
                    if wp_id in known:  # gone from the folder since: keep what the last run made
                        self._image_ids[wp_id] = known[wp_id][0]
                        outcome.counts["images.unchanged"] += 1
                        continue
                    outcome.counts["images.missing"] += 1
                    outcome.warn(problem.message, problem.params, (wp_id,))
                    continue
                stat = path.stat()
                fingerprint = _fingerprint(relative, stat.st_size, stat.st_mtime_ns, attachment.alt, attachment.title)
                previous = known.get(wp_id)
                if previous is not None and previous[1] == fingerprint:
                    self._image_ids[wp_id] = previous[0]
                    outcome.counts["images.unchanged"] += 1
                    continue
                try:
                    image = self._write(attachment, path, previous, replace_file=_file_changed(previous, fingerprint))
                except _Unusable as problem:
                    if previous is not None:
                        self._image_ids[wp_id] = previous[0]
                    outcome.counts["images.unreadable"] += 1
                    outcome.warn(problem.message, problem.params, (wp_id,))
                    continue
                self._image_ids[wp_id] = image.pk
                outcome.counts["images.updated" if previous else "images.created"] += 1
                made.append((wp_id, image.pk))
                fingerprints[wp_id] = fingerprint
            if made:
                remember(self.source, ObjectKind.ATTACHMENT, made, fingerprints)

    def _locate(self, attachment, root):
        """(absolute path, path relative to uploads) of the attachment's file, or _Unusable."""
        if not attachment.paths:
            raise _Unusable(NO_FILE_NAMED)
        refused = False
        for relative in attachment.paths:
            parts = PurePosixPath(relative).parts
            if relative.startswith("/") or ".." in parts or "\x00" in relative:
                refused = True
                continue
            try:
                path = (root / relative).resolve()
            except (OSError, RuntimeError, ValueError):
                refused = True
                continue
            if not path.is_relative_to(root):  # a symlink out of the folder
                refused = True
                continue
            if path.is_file():
                return path, relative
        raise _Unusable(REFUSED if refused else MISSING)

    def _write(self, attachment, path, previous, *, replace_file):
        Image = get_image_model()
        image = Image.objects.get(pk=previous[0]) if previous is not None else None
        title = attachment.title or path.name[:TITLE_LIMIT]
        if image is not None and (not replace_file or self.dry_run):
            # New words only, or a dry run (which copies no file): the row, not the file.
            image.title, image.description = title, attachment.alt
            image.save(update_fields=["title", "description"])
            return image
        width, height = _probe(path)
        size = path.stat().st_size
        if self.dry_run:
            # A name where the file would go, and the sizes given, so that nothing is read from or written to MEDIA_ROOT.
            name = Image._meta.get_field("file").generate_filename(Image(), path.name)
            image = Image(title=title, description=attachment.alt, file=name, width=width, height=height, file_size=size)
            image.save()
            return image
        old_name = image.file.name if image is not None else ""
        image = image or Image()
        image.title, image.description = title, attachment.alt
        with path.open("rb") as handle:
            image.file = ImageFile(handle, name=path.name)
            image._set_image_file_metadata()
            image.width, image.height = width, height
            image.save()
        if old_name:
            image.renditions.all().delete()
            storage = image.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
        return image

    # --- answers for the rest of the import ----------------------------------------

    def image_for(self, attachment_id, url):
        """The Minbar image of an attachment, by WordPress ID or else by the URL of it or of one of its resized copies."""
        if isinstance(attachment_id, str):
            attachment_id = int(attachment_id) if attachment_id.isascii() and attachment_id.isdigit() else None
        wp_id = attachment_id if attachment_id in self._images else self._wp_id_for_url(url or "")
        image_id = self._image_ids.get(wp_id)
        if image_id is None:
            return None
        return ImageRef(image_id, self._images[wp_id].alt)

    def cover_for(self, item: records.Item):
        """(image pk, caption) of the post's featured image (`_thumbnail_id`), or (None, "")."""
        raw = (item.meta_value("_thumbnail_id") or "").strip()
        if not (raw.isascii() and raw.isdigit()) or len(raw) > _WP_ID_DIGITS:  # WordPress writes ASCII digits only
            return None, ""
        wp_id = int(raw)
        image_id = self._image_ids.get(wp_id)
        if image_id is None:
            return None, ""
        return image_id, self._captions.get(wp_id, "")

    def _wp_id_for_url(self, url):
        address = _address(url)
        if not address:
            return None
        candidates = [address[len(prefix):] for prefix in self._prefixes if address.startswith(prefix)]
        if address.startswith("/") and UPLOADS in address:  # a relative URL on the old site
            candidates.append(address.split(UPLOADS, 1)[1])
        for relative in candidates:
            for key in (relative, _SIZE_SUFFIX.sub("", relative)):
                if key in self._by_path:
                    return self._by_path[key]
        return None


# --- helpers -----------------------------------------------------------------------


def _address(url):
    """A URL as "host/path" (host lower-cased, without www. and scheme; path percent-decoded), "/path" when relative."""
    url = html.unescape(url).strip()
    if not url:
        return ""
    try:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
        port = parts.port
    except ValueError:
        return ""
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = urllib.parse.unquote(parts.path)
    if parts.scheme and not host:
        return ""  # data:, mailto: …
    return host + path if host else path


def _relative_to_uploads(value):
    """The part of a meta path or URL under wp-content/uploads, percent-decoded ("" when none)."""
    value = html.unescape(value or "").strip()
    if not value:
        return ""
    if "://" in value or value.startswith("//"):
        path = urllib.parse.unquote(urllib.parse.urlsplit(value).path)
        return path.split(UPLOADS, 1)[1] if UPLOADS in path else ""
    if UPLOADS in value:  # WordPress before 2.7 kept absolute server paths
        return value.split(UPLOADS, 1)[1]
    return value


def _caption(excerpt):
    return one_line(html.unescape(strip_tags(excerpt or "")))[:CAPTION_LIMIT]


def _fingerprint(relative, size, mtime_ns, alt, title):
    """Two halves: the file's (path, size, time) and the words' (alt text, title), so a re-run copies a file only when it changed."""
    return _digest(FORMAT_VERSION, relative, size, mtime_ns) + _digest(FORMAT_VERSION, alt, title)


def _digest(*parts):
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


def _file_changed(previous, fingerprint):
    return previous is None or previous[1][:32] != fingerprint[:32]


def _probe(path):
    """(width, height) if the file is an image Wagtail can use, else _Unusable."""
    from willow.image import Image as WillowImage

    limit = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128 * 1000000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with path.open("rb") as handle:
                willow = WillowImage.open(handle)
                width, height = willow.get_size()
                frames = willow.get_frame_count() if hasattr(willow, "get_frame_count") else 1
                extension = path.suffix.lstrip(".").lower()
                extension = "jpeg" if extension in ("jpg", "jpe") else extension
                if willow.format_name != extension:
                    raise _Unusable(UNREADABLE)
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
        raise _Unusable(TOO_MANY_PIXELS, {"limit": limit}) from None
    except _Unusable:
        raise
    except Exception:  # noqa: BLE001 - a damaged file fails in as many ways as there are decoders
        raise _Unusable(UNREADABLE) from None
    if not width or not height:
        raise _Unusable(UNREADABLE)
    if limit and width * height * (frames or 1) > limit:
        raise _Unusable(TOO_MANY_PIXELS, {"limit": limit})
    return width, height
