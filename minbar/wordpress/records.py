"""What the WXR reader hands on: one plain record per thing in a WordPress export.

The reader (wxr.py) knows XML and WordPress's export format and nothing of
Minbar; the importer (importer.py and the modules it calls) knows Minbar and
nothing of XML. These records are the whole contract between them. Every
text is as the export holds it, decoded and with CDATA unwrapped, and not
yet cleaned: cleaning is the importer's choice. Dates are naive (WordPress
writes local and GMT times without offsets); `*_gmt` values are None when
the export has "0000-00-00 00:00:00" or nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Site:
    """The channel's own facts; comes first, before any author, term or item."""

    version: str  # "1.0", "1.1" or "1.2"
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""  # as exported, e.g. "ar", "en-US"
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass(frozen=True)
class Author:
    line: int
    login: str
    wp_id: int | None = None
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class Term:
    """A category, tag or other taxonomy term (series of the Organize Series plugin, formats …)."""

    line: int
    taxonomy: str  # "category", "post_tag", "series", "post_format", …
    slug: str  # as exported: may be percent-encoded UTF-8 (%d8%a3…)
    name: str
    wp_id: int | None = None
    parent_slug: str = ""
    description: str = ""
    meta: tuple = ()  # ((key, value), …) termmeta, values raw strings


@dataclass(frozen=True)
class ItemTerm:
    """One <category domain="…" nicename="…">Name</category> of an item."""

    taxonomy: str  # the domain: "category", "post_tag", "series", "post_format", …
    slug: str
    name: str


@dataclass(frozen=True)
class Comment:
    wp_id: int
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: datetime | None = None
    date_gmt: datetime | None = None
    content: str = ""
    approved: str = "1"  # "1", "0", "spam", "trash", "post-trashed" as exported
    type: str = ""  # "" or "comment" for comments; "pingback", "trackback", other plugin types
    parent_id: int = 0  # 0: on the post
    user_id: int = 0
    meta: tuple = ()  # ((key, raw value), …) in export order

    def meta_value(self, key, default=None):
        for name, value in self.meta:
            if name == key:
                return value
        return default


@dataclass(frozen=True)
class Item:
    """A post, page, attachment or other post type, with its terms, meta and comments."""

    line: int  # line of its <item> in the file, for reports
    wp_id: int
    post_type: str  # "post", "page", "attachment", "nav_menu_item", …
    status: str  # "publish", "draft", "pending", "future", "private", "inherit", "trash", "auto-draft"
    title: str = ""
    link: str = ""  # its permalink on the old site
    guid: str = ""
    creator: str = ""  # dc:creator: an Author's login
    content: str = ""  # content:encoded
    excerpt: str = ""  # excerpt:encoded
    post_name: str = ""  # the slug, often percent-encoded for Arabic
    date: datetime | None = None  # wp:post_date (site time)
    date_gmt: datetime | None = None
    modified: datetime | None = None  # wp:post_modified, when exported (1.2 since WP 5.x)
    modified_gmt: datetime | None = None
    comment_status: str = "open"  # "open" or "closed"
    parent_id: int = 0
    menu_order: int = 0
    password: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    terms: tuple = ()  # ItemTerm, …
    meta: tuple = ()  # ((key, raw value), …) in export order
    comments: tuple = ()  # Comment, … in export order

    def meta_value(self, key, default=None):
        for name, value in self.meta:
            if name == key:
                return value
        return default

    def terms_of(self, taxonomy):
        return [term for term in self.terms if term.taxonomy == taxonomy]


@dataclass
class Census:
    """What a whole file holds, counted by the reader's first pass (progress bar and report)."""

    version: str = ""
    authors: int = 0
    terms: dict = field(default_factory=dict)  # taxonomy → channel-level terms
    items: dict = field(default_factory=dict)  # post_type → items
    comments: int = 0  # every wp:comment, replies included
    replies: int = 0  # comments with a parent
    # post_type "attachment" items by WordPress ID, without their comments: posts
    # name their featured image (_thumbnail_id) before or after the attachment
    # comes in the file, so the importer needs them all before the first post.
    attachments: dict = field(default_factory=dict)
    # Lines of <item>s without a usable <wp:post_id> (e.g. in a foreign namespace): skipped and reported.
    items_without_id: list = field(default_factory=list)

    @property
    def total_items(self):
        return sum(self.items.values())


class WXRError(Exception):
    """The file cannot be imported: not well-formed, not WXR, or a WXR version this reader does not know.

    `line` and `column` are 1-based, or None when the reason is not tied to a
    place in the file. `reason` is a translated, human sentence.
    """

    def __init__(self, reason, line=None, column=None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column

    def __str__(self):
        if self.line is None:
            return str(self.reason)
        return f"{self.line}:{self.column or 0}: {self.reason}"
