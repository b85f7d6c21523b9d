"""Read articles from JSON Lines: one JSON object per line.

Fields of a line (anything else is ignored):

- `title` (required, at most 255 characters) and `body` (required; plain
  text with one paragraph per line, or HTML: see richtext.py);
- the section: `section`, else `category_ar`, else `category`, else the
  run's default (--section). With both `category_ar` and `category`, as in
  corpora that name a category in Arabic and in English, the Arabic name is
  the section's title and the English one its slug (`localNews` → /localnews/);
- `author`: a name or a list of names (else the run's default, else no byline);
- `date`: ISO 8601 date or date and time, with or without offset; without
  one it is the site's time zone, without a date at all it is the time of import;
- `language`: ar, ckb or en (else the run's default);
- `id`: the article's key in the source; without one the key is a hash of
  title, date and section, so a changed title makes a new article;
- `summary` (else `abstract`), `kind` (news unless given: opinion, news,
  report, statement, interview), `tags` (a list, or text separated by commas).

Lines are read as bytes and decoded one by one, so one line of bad UTF-8
costs that line only. Empty lines are ignored.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from minbar.arabic import slugify
from minbar.newsroom.models import RICH_TEXT_FEATURES, ArticleKind, ContentLanguage

from . import messages
from .items import ArticleItem, Problem, clean_text, one_line, shown
from .richtext import to_rich_text

# The longest values the pages and their records can hold.
TITLE_LIMIT = 255
SECTION_LIMIT = 255
AUTHOR_LIMIT = 200
TAG_LIMIT = 100
KEY_LIMIT = 255
_TAG_SEPARATORS = re.compile(r"[,،]")
_LANGUAGES = tuple(ContentLanguage.values)
_KINDS = tuple(ArticleKind.values)


@dataclass(frozen=True)
class Defaults:
    """What a line without the field gets, set for the whole run."""

    language: str = ContentLanguage.ARABIC.value
    section: str = ""
    author: str = ""
    kind: str = ArticleKind.NEWS.value


class InvalidLine(Exception):
    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params


def read_entries(lines, defaults=Defaults(), limit=None):
    """Yield an ArticleItem or a Problem for each non-empty line of `lines` (bytes), at most `limit`."""
    taken = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if limit is not None and taken >= limit:
            return
        taken += 1
        yield parse_line(number, raw, defaults)


def parse_line(number, raw: bytes, defaults=Defaults()):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(number, messages.INVALID_UTF8, {"position": error.start + 1})
    try:
        data = json.loads(text.lstrip("\ufeff").rstrip("\r\n"))
    except json.JSONDecodeError as error:
        return Problem(number, messages.INVALID_JSON, {"position": error.pos + 1})
    except RecursionError:
        return Problem(number, messages.TOO_DEEP)
    if not isinstance(data, dict):
        return Problem(number, messages.NOT_AN_OBJECT)
    try:
        return _article(number, data, defaults)
    except InvalidLine as invalid:
        return Problem(number, invalid.message, invalid.params)


def _text(data, name, limit=None, required=False, single_line=True):
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise InvalidLine(messages.MISSING_FIELD, field=name)
        return ""
    if not isinstance(value, str):
        raise InvalidLine(messages.NOT_TEXT, field=name)
    value = one_line(value) if single_line else clean_text(value).strip()
    if required and not value:
        raise InvalidLine(messages.MISSING_FIELD, field=name)
    if limit and len(value) > limit:
        raise InvalidLine(messages.TOO_LONG, field=name, limit=limit)
    return value


def _key(data, title, section_title):
    value = data.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif value is not None and not isinstance(value, str):
        raise InvalidLine(messages.NOT_TEXT, field="id")
    value = one_line(value or "")
    if len(value) > KEY_LIMIT:
        raise InvalidLine(messages.TOO_LONG, field="id", limit=KEY_LIMIT)
    if value:
        return value
    date = data.get("date") if isinstance(data.get("date"), str) else ""
    identity = json.dumps([title, date.strip(), section_title], ensure_ascii=False)
    return "sha256:" + hashlib.sha256(identity.encode()).hexdigest()


def _section(data, defaults):
    """(title, slug) of the line's section; an empty slug is derived from the title later."""
    section = _text(data, "section", SECTION_LIMIT)
    if section:
        return section, ""
    arabic_name = _text(data, "category_ar", SECTION_LIMIT)
    name = _text(data, "category", SECTION_LIMIT)
    if arabic_name:
        return arabic_name, slugify(name) if name else ""
    if name:
        return name, ""
    if defaults.section:
        return defaults.section, ""
    raise InvalidLine(messages.NO_SECTION)


def _authors(data, defaults):
    value = data.get("author")
    if value is None or value == "" or value == []:
        names = [defaults.author] if defaults.author else []
    elif isinstance(value, str):
        names = [value]
    elif isinstance(value, list) and all(isinstance(name, str) for name in value):
        names = value
    else:
        raise InvalidLine(messages.BAD_AUTHOR)
    cleaned = []
    for name in names:
        name = one_line(name)
        if len(name) > AUTHOR_LIMIT:
            raise InvalidLine(messages.TOO_LONG, field="author", limit=AUTHOR_LIMIT)
        if name and name not in cleaned:
            cleaned.append(name)
    return tuple(cleaned)


def _published_at(data):
    value = data.get("date")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidLine(messages.BAD_DATE, value=shown(value))
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidLine(messages.BAD_DATE, value=shown(value)) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _choice(data, name, default, choices, message):
    value = data.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str) or value.strip().lower() not in choices:
        raise InvalidLine(message, value=shown(value), choices=", ".join(choices))
    return value.strip().lower()


def _tags(data):
    value = data.get("tags")
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        names = _TAG_SEPARATORS.split(value)
    elif isinstance(value, list) and all(isinstance(name, str) for name in value):
        names = value
    else:
        raise InvalidLine(messages.BAD_TAGS)
    tags, seen = [], set()
    for name in names:
        name = one_line(name)
        if len(name) > TAG_LIMIT:
            raise InvalidLine(messages.TOO_LONG, field="tags", limit=TAG_LIMIT)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            tags.append(name)
    return tuple(tags)


def _article(number, data, defaults):
    title = _text(data, "title", TITLE_LIMIT, required=True)
    raw_body = _text(data, "body", required=True, single_line=False)
    body = to_rich_text(raw_body, RICH_TEXT_FEATURES)
    if not body:
        raise InvalidLine(messages.MISSING_FIELD, field="body")
    section_title, section_slug = _section(data, defaults)
    summary = _text(data, "summary", single_line=False) or _text(data, "abstract", single_line=False)
    return ArticleItem(
        line=number,
        key=_key(data, title, section_title),
        title=title,
        body=body,
        section_title=section_title,
        section_slug=section_slug,
        summary=summary,
        authors=_authors(data, defaults),
        published_at=_published_at(data),
        language=_choice(data, "language", defaults.language, _LANGUAGES, messages.UNKNOWN_LANGUAGE),
        kind=_choice(data, "kind", defaults.kind, _KINDS, messages.UNKNOWN_KIND),
        tags=_tags(data),
    )
