"""The forms of an old WordPress address, reduced to keys that an import stores and a request looks up.

Keys:
  "id:123"                    ?p=123, ?page_id=123, ?attachment_id=123, /archives/123
  "path:/2019/05/03/slug/"    an item's exact old permalink (any permalink structure)
  "slug:slug"                 /slug/, /2019/05/03/slug/, /2019/05/slug/, /2019/slug/ (posts)
  "page:parent/child"         a page by its full path
  "category:slug", "post_tag:slug", "series:slug"   /category/a/b/ (last part), /tag/x/, /series/x/
  "term-id:category:12"       ?cat=12
  "author:login", "author-id:3"                     /author/login/, ?author=3

Every part is percent-decoded (WordPress stores Arabic slugs encoded, in
either case of hex), cut UTF-8 is dropped, and it is put in lower case, so
every spelling of one address gives the same key.
"""

import re
import unicodedata
from urllib.parse import unquote

# Longest path looked at; longer ones are not old addresses of a real site.
PATH_LIMIT = 2000
_YEAR, _MONTH, _DAY = re.compile(r"^\d{4}$"), re.compile(r"^\d{1,2}$"), re.compile(r"^\d{1,2}$")
_PAGE_NUMBER = re.compile(r"^\d{1,6}$")
_COMMENT_PAGE = re.compile(r"^comment-page-\d{1,6}$")
FEED_NAMES = {"rss", "rss2", "atom", "rdf"}


def part(value) -> str:
    """One path segment or slug, decoded and folded."""
    text = str(value or "")
    for _ in range(2):  # slugs encoded twice by some plugins
        decoded = unquote(text, errors="replace")
        if decoded == text:
            break
        text = decoded
    text = text.replace("\ufffd", "").replace("\x00", "")
    return unicodedata.normalize("NFC", text).strip().lower()


def segments(path) -> list:
    return [piece for piece in (part(piece) for piece in str(path or "").split("/")) if piece]


def path_key(path) -> str:
    return "path:/" + "".join(f"{piece}/" for piece in segments(path))


def _path_of(link):
    """The path of an absolute or relative permalink, without host and query."""
    link = str(link or "")
    if "://" in link:
        link = link.split("://", 1)[1]
        link = "/" + link.split("/", 1)[1] if "/" in link else "/"
    return link.split("?", 1)[0].split("#", 1)[0]


def for_item(link, wp_id, post_type, post_name, date=None, parent_path=""):
    """The keys of a post, page or attachment."""
    keys = [f"id:{int(wp_id)}"]
    path = _path_of(link)
    if segments(path):
        keys.append(path_key(path))
    slug = part(post_name)
    if slug:
        if post_type == "page":
            keys.append("page:" + "/".join(segments(parent_path) + [slug]))
        elif post_type == "post":
            keys.append(f"slug:{slug}")
    return keys


def for_term(taxonomy, slug, wp_id=None):
    keys = []
    if part(slug):
        keys.append(f"{taxonomy}:{part(slug)}")
    if wp_id is not None:
        keys.append(f"term-id:{taxonomy}:{int(wp_id)}")
    return keys


def for_author(login, nicename=None, wp_id=None):
    keys = [f"author:{part(name)}" for name in {login, nicename} if part(name)]
    if wp_id is not None:
        keys.append(f"author-id:{int(wp_id)}")
    return keys


def _number(value):
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


class Request:
    """What an incoming old address asks for: keys to look up, most specific first, and what to add."""

    def __init__(self, path, query):
        self.keys = []
        self.feed = False
        self.site_feed = False
        self.page_number = None
        if not path or len(path) > PATH_LIMIT or "\x00" in path:
            return
        pieces = segments(path)
        if pieces in ([], ["index.php"]):
            self._from_query(query)
        # Endings WordPress adds to any address.
        while pieces:
            last = pieces[-1]
            if last in FEED_NAMES and len(pieces) >= 2 and pieces[-2] == "feed":
                pieces, self.feed = pieces[:-2], True
            elif last == "feed":
                pieces, self.feed = pieces[:-1], True
            elif last in ("amp", "embed", "trackback") or _COMMENT_PAGE.match(last):
                pieces = pieces[:-1]
            elif len(pieces) >= 2 and pieces[-2] == "page" and _PAGE_NUMBER.match(last):
                self.page_number = int(last)
                pieces = pieces[:-2]
            else:
                break
        if self.feed and (not pieces or pieces == ["comments"]):
            self.site_feed = True
            return
        if not pieces:
            return
        self.keys.append("path:/" + "".join(f"{piece}/" for piece in pieces))
        head = pieces[0]
        if head == "category" and len(pieces) >= 2:
            self.keys.append(f"category:{pieces[-1]}")
        elif head == "tag" and len(pieces) == 2:
            self.keys.append(f"post_tag:{pieces[1]}")
        elif head == "series" and len(pieces) == 2:
            self.keys.append(f"series:{pieces[1]}")
        elif head == "author" and len(pieces) == 2:
            self.keys.append(f"author:{pieces[1]}")
        elif head == "archives" and len(pieces) == 2 and _number(pieces[1]) is not None:
            self.keys.append(f"id:{_number(pieces[1])}")
        else:
            if _YEAR.match(head) and len(pieces) >= 2:
                rest = pieces[1:]
                if rest and _MONTH.match(rest[0]):
                    rest = rest[1:]
                    if rest and _DAY.match(rest[0]):
                        rest = rest[1:]
                if len(rest) == 1:
                    self.keys.append(f"slug:{rest[0]}")
            self.keys.append("page:" + "/".join(pieces))
            if len(pieces) == 1:
                self.keys.append(f"slug:{pieces[0]}")

    def _from_query(self, query):
        for name in ("p", "page_id", "attachment_id"):
            number = _number(query.get(name))
            if number is not None:
                self.keys.append(f"id:{number}")
        number = _number(query.get("cat"))
        if number is not None:
            self.keys.append(f"term-id:category:{number}")
        if query.get("tag"):
            self.keys.append(f"post_tag:{part(query.get('tag'))[:400]}")
        number = _number(query.get("author"))
        if number is not None:
            self.keys.append(f"author-id:{number}")
        if query.get("feed") in FEED_NAMES | {"feed"}:
            self.feed = True
            if not self.keys:
                self.site_feed = True
