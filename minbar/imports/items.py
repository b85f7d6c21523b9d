"""What a parser hands to the page writer, whatever the source format."""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

# Part of every fingerprint: raising it makes the next run update every
# article, for when the importer changes how it turns input into pages.
FORMAT_VERSION = 1

# Line breaks and tabs are kept in running text; every other control
# character (NUL breaks PostgreSQL) and lone surrogates (not encodable) go.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Drop control characters and lone surrogates; turn \\r\\n and \\r into \\n."""
    return _UNWANTED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(value: str) -> str:
    """Text for a title or a name: cleaned, runs of white space made one space."""
    return " ".join(clean_text(value).split())


def shown(value, limit=40) -> str:
    """Input quoted back in a message: shortened, invisible and control characters spelled out."""
    text = str(value)
    cut = len(text) > limit
    text = "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char) in ("Cc", "Cf", "Cs") else char for char in text[:limit]
    )
    return text + "…" if cut else text


@dataclass(frozen=True)
class Problem:
    """A line that was skipped, and why (a message of minbar.imports.messages with its values)."""

    line: int
    message: str
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return self.message % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class ArticleItem:
    """One article to import: its key in the source and what the page should say.

    `body` is rich text already (paragraphs, escaped). An empty
    `section_slug` means "derive it from the title". `published_at` is aware,
    or None for "now".
    """

    line: int
    key: str
    title: str
    body: str
    section_title: str
    section_slug: str = ""
    summary: str = ""
    authors: tuple = ()
    published_at: datetime | None = None
    language: str = "ar"
    kind: str = "news"
    tags: tuple = ()

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything the page shows, to tell a changed item from an unchanged one."""
        content = [
            FORMAT_VERSION,
            self.title,
            self.body,
            self.section_title,
            self.section_slug,
            self.summary,
            list(self.authors),
            self.published_at.isoformat() if self.published_at else "",
            self.language,
            self.kind,
            list(self.tags),
        ]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
