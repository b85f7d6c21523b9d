"""The forms of an old WordPress address, reduced to keys that an import stores and a request looks up.

Keys:
  "id:123"                    ?p=123, ?page_id=123, ?attachment_id=123, /archives/123
                              (posts, pages and attachments share one ID space in WordPress)
  "path:/2019/05/03/slug/"    an item's exact old permalink (covers any permalink structure)
  "slug:slug"                 a post: /slug/, /2019/05/03/slug/, /2019/05/slug/, /2019/slug/
  "page:parent/child"         a page by its full path
  "category:slug", "post_tag:slug", "series:slug"   /category/a/b/ (last part), /tag/x/, ?tag=x, /series/x/
  "term-id:category:12"       ?cat=12
  "author:login", "author-id:3"                     /author/login/, ?author=3

Every part is percent-decoded (WordPress stores Arabic slugs encoded, in
either case of hex), a UTF-8 sequence cut short (post_name is cut at 200
bytes) is dropped, and the text is put in lower case, so every spelling of
one address gives the same key. Nothing here touches the database.
"""

import re
import unicodedata
from urllib.parse import unquote

# Longest path looked at; longer ones are not addresses a real site ever had.
PATH_LIMIT = 2000
_YEAR = re.compile(r"^\d{4}$")
_MONTH_OR_DAY = re.compile(r"^\d{1,2}$")
_PAGE_NUMBER = re.compile(r"^\d{1,6}$")
_COMMENT_PAGE = re.compile(r"^comment-page-\d{1,6}$")
# What is left of a "%D9" when the cut fell inside the escape itself.
_CUT_ESCAPE = re.compile(r"%[0-9a-fA-F]?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FEED_NAMES = {"rss", "rss2", "atom", "rdf"}
# Endings WordPress adds to an article's address that show the same article.
_SAME_ITEM_ENDINGS = {"amp", "embed", "trackback"}
# Query parameters that name something on the old site; any other (utm_*, fbclid) is ignored.
OLD_QUERY_NAMES = frozenset({"p", "page_id", "attachment_id", "cat", "tag", "author", "feed"})


def part(value) -> str:
    """One path segment or slug, decoded and folded: "%D9%85" "%d9%85" and "م" give the same."""
    text = str(value or "")
    for _ in range(2):  # some plugins stored slugs encoded twice
        text = _CUT_ESCAPE.sub("", text)
        decoded = unquote(text, errors="replace")
        if decoded == text:
            break
        text = decoded
    # U+FFFD stands for the bytes of a cut UTF-8 sequence: the cut letter is dropped.
    text = _CONTROL.sub("", text.replace("\ufffd", ""))
    return unicodedata.normalize("NFC", text).strip().lower()


def segments(path) -> list:
    return [piece for piece in (part(piece) for piece in str(path or "").split("/")) if piece]


def path_key(pieces) -> str:
    return "path:/" + "".join(f"{piece}/" for piece in pieces)


def _path_of(link):
    """The path of an absolute or relative permalink, without host, query and fragment."""
    link = str(link or "")
    if "://" in link:
        after_scheme = link.split("://", 1)[1]
        link = "/" + after_scheme.split("/", 1)[1] if "/" in after_scheme else "/"
    return link.split("?", 1)[0].split("#", 1)[0]


def _number(value):
    value = str(value or "").strip()
    return int(value) if value.isdigit() and value.isascii() and len(value) < 19 else None


def for_item(link, wp_id, post_type, post_name, date=None, parent_path=""):
    """The keys of a post, page or attachment, most specific first.

    `link` is the item's exact old permalink from the export; `parent_path`
    the slugs of a page's parents ("parent/child"). Dated forms need no key of
    their own: a request for /2019/05/03/slug/ also asks for "slug:slug".
    """
    keys = []
    number = _number(wp_id)
    if number is not None:
        keys.append(f"id:{number}")
    pieces = segments(_path_of(link))
    if pieces:
        keys.append(path_key(pieces))
    slug = part(post_name)
    if slug and "/" not in slug:
        if post_type == "page":
            keys.append("page:" + "/".join(segments(parent_path) + [slug]))
        elif post_type == "post":
            keys.append(f"slug:{slug}")
    return keys


def for_term(taxonomy, slug, wp_id=None):
    """The keys of a category, tag or series (taxonomy as WordPress names it: category, post_tag, series)."""
    keys = []
    slug = part(slug)
    if slug:
        keys.append(f"{taxonomy}:{slug}")
    number = _number(wp_id)
    if number is not None:
        keys.append(f"term-id:{taxonomy}:{number}")
    return keys


def for_author(login, nicename=None, wp_id=None):
    """The keys of a WordPress user: /author/<nicename>/ is what WordPress links to; some links use the login."""
    keys = []
    for name in (nicename, login):
        key = f"author:{part(name)}"
        if part(name) and key not in keys:
            keys.append(key)
    number = _number(wp_id)
    if number is not None:
        keys.append(f"author-id:{number}")
    return keys


class Request:
    """What an incoming old address asks for.

    keys: candidate keys, most specific first; feed: the old address asked
    for a feed of the thing; site_feed: "rss" or "atom" for the site's own
    feed (no key needed); page_number: an archive's page (page/N/).
    """

    def __init__(self, path, query):
        self.keys = []
        self.feed = False
        self.site_feed = None
        self.page_number = None
        self.front_page = False
        path = str(path or "")
        if not path or len(path) > PATH_LIMIT or "\x00" in path:
            return
        pieces = segments(path)
        if any(piece in (".", "..") for piece in pieces):
            return
        if pieces in ([], ["index.php"]):
            self._from_query(query)
        feed_name = self._strip_endings(pieces)
        pieces = self._pieces
        if self.keys:  # /?p=12 and the like: the query said it all
            return
        if self.feed and (not pieces or pieces == ["comments"]):
            self.site_feed = self.site_feed or ("atom" if feed_name == "atom" else "rss")
            return
        if not pieces:
            # /page/2/: the old front page's older posts; Minbar's front page has no pages.
            self.front_page = self.page_number is not None
            return
        self._from_pieces(pieces)

    def _strip_endings(self, pieces):
        """Take off what WordPress appends to any address (feed/, amp/, page/N/, comment-page-N/)."""
        feed_name = None
        while pieces:
            last = pieces[-1]
            if last in FEED_NAMES and len(pieces) >= 2 and pieces[-2] == "feed":
                pieces, self.feed, feed_name = pieces[:-2], True, last
            elif last == "feed":
                pieces, self.feed = pieces[:-1], True
            elif last in _SAME_ITEM_ENDINGS or _COMMENT_PAGE.match(last):
                pieces = pieces[:-1]
            elif len(pieces) >= 2 and pieces[-2] == "page" and _PAGE_NUMBER.match(last):
                self.page_number = int(last)
                pieces = pieces[:-2]
            else:
                break
        self._pieces = pieces
        return feed_name

    def _from_pieces(self, pieces):
        self.keys.append(path_key(pieces))
        head, count = pieces[0], len(pieces)
        if head == "category" and count >= 2:
            self.keys.append(f"category:{pieces[-1]}")
        elif head == "tag" and count == 2:
            self.keys.append(f"post_tag:{pieces[1]}")
        elif head == "series" and count == 2:
            self.keys.append(f"series:{pieces[1]}")
        elif head == "author" and count == 2:
            self.keys.append(f"author:{pieces[1]}")
        elif head == "archives" and count == 2 and _number(pieces[1]) is not None:
            self.keys.append(f"id:{_number(pieces[1])}")
        else:
            # A nested page is more specific than a post that shares its last slug.
            self.keys.append("page:" + "/".join(pieces))
            slug = _dated_slug(pieces) if count > 1 else head
            if slug:
                self.keys.append(f"slug:{slug}")

    def _from_query(self, query):
        query = query or {}
        for name in ("p", "page_id", "attachment_id"):
            number = _number(query.get(name))
            if number is not None:
                self.keys.append(f"id:{number}")
        number = _number(query.get("cat"))
        if number is not None:
            self.keys.append(f"term-id:category:{number}")
        tag = part(query.get("tag"))
        if tag:
            self.keys.append(f"post_tag:{tag}")
        number = _number(query.get("author"))
        if number is not None:
            self.keys.append(f"author-id:{number}")
        feed = part(query.get("feed"))
        if feed in FEED_NAMES | {"feed"}:
            self.feed = True
            if not self.keys:
                self.site_feed = "atom" if feed == "atom" else "rss"


def _dated_slug(pieces):
    """The slug of /YYYY/slug/, /YYYY/MM/slug/ or /YYYY/MM/DD/slug/, else None."""
    if not _YEAR.match(pieces[0]):
        return None
    rest = pieces[1:]
    for _ in range(2):  # month, then day
        if len(rest) > 1 and _MONTH_OR_DAY.match(rest[0]):
            rest = rest[1:]
    return rest[0] if len(rest) == 1 else None


def for_request(path, query):
    """Candidate keys for an incoming request, most specific first."""
    return Request(path, query).keys
