"""Read the demo articles from content/articles/*.txt.

Each file is a header of `key: value` lines, a line `---`, then the body:
blocks separated by blank lines; a block starting `## ` is a heading, `> ` a
quotation, lines starting `- ` a list; `**words**` is bold. Everything else is
a paragraph, kept exactly as written (spelling, spaces and all).
`[[words||question]]` marks a passage with a question for readers (the
editor's "question on a passage").
"""

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content" / "articles"

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_PASSAGE = re.compile(r"\[\[(.+?)\|\|(.+?)\]\]")


@dataclass(frozen=True)
class ArticleSpec:
    slug: str
    title: str
    section: str
    kind: str
    language: str
    authors: tuple
    tags: tuple
    summary: str
    body: str  # rich-text HTML
    published_days_ago: float | None = None  # None: not published yet
    scheduled_in_days: float | None = None  # publish this many days from now
    series: str | None = None
    part: int | None = None
    updated_days_ago: float | None = None

    @property
    def is_scheduled(self):
        return self.scheduled_in_days is not None


def _inline(text):
    text = _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))
    return _PASSAGE.sub(_passage_span, text)


def _passage_span(match):
    # Keys only need to be unique within one article; the question's own
    # words make a stable one.
    key = "demo-" + hashlib.sha1(match.group(2).encode()).hexdigest()[:8]
    question = html.escape(html.unescape(match.group(2)), quote=True)
    return f'<span data-passage="{key}" data-question="{question}">{match.group(1)}</span>'


def body_html(source):
    """Turn the light markup of a body into the HTML Wagtail's rich text stores."""
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", source.strip()) if block.strip()]
    parts = []
    for block in blocks:
        lines = block.split("\n")
        if block.startswith("## "):
            parts.append(f"<h2>{_inline(block[3:].strip())}</h2>")
        elif block.startswith("> "):
            quote = " ".join(line[2:].strip() if line.startswith("> ") else line.strip() for line in lines)
            parts.append(f"<blockquote>{_inline(quote)}</blockquote>")
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_inline(' '.join(line.strip(' ') for line in lines))}</p>")
    return "".join(parts)


def _split_list(value, separator):
    return tuple(item.strip() for item in value.split(separator) if item.strip())


def parse_article(text, name="<article>"):
    header, separator, body = text.partition("\n---\n")
    if not separator:
        raise ValueError(f"{name}: no '---' line between header and body")
    fields = {}
    for line in header.strip().splitlines():
        key, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"{name}: header line without ':': {line!r}")
        fields[key.strip()] = value.strip()

    def number(key, kind=float):
        return kind(fields[key]) if key in fields else None

    return ArticleSpec(
        slug=fields["slug"],
        title=fields["title"],
        section=fields["section"],
        kind=fields["kind"],
        language=fields.get("language", "ar"),
        authors=_split_list(fields["authors"], ","),
        tags=_split_list(fields.get("tags", ""), "|"),
        summary=fields.get("summary", ""),
        body=body_html(body),
        published_days_ago=number("published"),
        scheduled_in_days=number("scheduled"),
        series=fields.get("series"),
        part=number("part", int),
        updated_days_ago=number("updated"),
    )


def load_articles(directory=CONTENT_DIR):
    """All demo articles, in file-name order (which is the order they are created in)."""
    return [parse_article(path.read_text(encoding="utf-8"), path.name) for path in sorted(directory.glob("*.txt"))]
