"""Read a WordPress export (WXR 1.0, 1.1, 1.2) as a stream of records.py records.

Exports of hundreds of megabytes are never held whole: lxml's iterparse hands
over each <wp:author>, <wp:category>/<wp:tag>/<wp:term> and <item> when it
ends, the record is built, and the element and everything before it are
freed. Entities are never expanded and nothing is fetched from the network,
so a hostile file cannot blow up (billion laughs) or reach out.

`census` is the first pass: it reads the whole file, refuses it with line,
column and reason when it is not well-formed, not a WordPress export or of a
version this reader does not know, and counts what it holds. `read` is the
second pass and yields the records.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from lxml import etree

from minbar.imports.items import shown

from . import records

KNOWN_VERSIONS = ("1.0", "1.1", "1.2")
_NAMESPACE_PREFIXES = ("http://wordpress.org/export/", "https://wordpress.org/export/")
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
# Complaints libxml2 makes about namespace URIs once the document has been read in full.
_NAMESPACE_WARNINGS = {etree.ErrorTypes.WAR_NS_URI, etree.ErrorTypes.WAR_NS_URI_RELATIVE, etree.ErrorTypes.WAR_NS_COLUMN}
_HANDLED = {"author", "category", "tag", "term", "item"}


def _is_wp(tag):
    """The local name when `tag` is in a WordPress export namespace (wp: or excerpt:), else None."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    namespace, _, local = tag[1:].partition("}")
    if namespace.startswith(_NAMESPACE_PREFIXES) and "/excerpt/" not in namespace:
        return local
    return None


def _is_excerpt(tag):
    return isinstance(tag, str) and "/excerpt/" in tag and tag.endswith("}encoded")


def _text(element):
    return element.text or "" if element is not None else ""


def _child(element, local):
    for child in element:
        if _is_wp(child.tag) == local:
            return child
    return None


def _wp_text(element, local, strip=True):
    value = _text(_child(element, local))
    return value.strip() if strip else value


def _integer(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _optional_integer(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def _date(value):
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _meta(element, local):
    """[(key, value)] of the <wp:postmeta>/<wp:commentmeta>/<wp:termmeta> children."""
    pairs = []
    for child in element:
        if _is_wp(child.tag) == local:
            pairs.append((_wp_text(child, "meta_key"), _wp_text(child, "meta_value", strip=False)))
    return tuple(pairs)


def _events(path):
    return etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )


def _free(element):
    """Drop a handled element and the siblings before it, so memory stays flat."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _records(path, census=None):
    """Yield (kind, element) for each handled element, checking the format on the way."""
    site_seen = False
    version = None
    depth = 0
    channel = None
    finished = False
    context = _events(path)
    try:
        for event, element in context:
            if event == "start":
                depth += 1
                if depth == 1:
                    if element.tag != "rss":
                        raise records.WXRError(
                            _("This is not a WordPress export: it does not start with <rss>."), element.sourceline, 1
                        )
                elif depth == 2 and element.tag == "channel":
                    channel = element
                continue
            depth -= 1
            if depth == 0:
                finished = True
            if element.getparent() is channel and channel is not None:
                local = _is_wp(element.tag)
                if local == "wxr_version":
                    version = (element.text or "").strip()
                    if version not in KNOWN_VERSIONS:
                        raise records.WXRError(
                            _("Unknown WXR version “%(version)s”; this importer reads 1.0, 1.1 and 1.2.")
                            % {"version": shown(version)},
                            element.sourceline,
                            1,
                        )
                    continue
                if local in _HANDLED or element.tag == "item":
                    kind = "item" if element.tag == "item" else local
                    if not site_seen:
                        if version is None:
                            raise records.WXRError(
                                _("The export has no WXR version (<wp:wxr_version>) before its content."),
                                element.sourceline,
                                1,
                            )
                        site_seen = True
                        yield "site", (channel, version)
                    yield kind, element
                    _free(element)
            elif element is channel:
                if version is None:
                    raise records.WXRError(
                        _("The export has no WXR version (<wp:wxr_version>)."), element.sourceline, 1
                    )
                if not site_seen:
                    site_seen = True
                    yield "site", (channel, version)
    except etree.XMLSyntaxError as error:
        # libxml2 reports an odd namespace URI (non-ASCII, not absolute) when the
        # document closes; the XML itself is well-formed and was read in full.
        if finished and error.code in _NAMESPACE_WARNINGS:
            return
        line, column = error.position if error.position else (error.lineno, 0)
        detail = (error.msg or "").split(", line ")[0]
        raise records.WXRError(
            _("The file is not well-formed XML: %(detail)s") % {"detail": shown(detail, 120)}, line, column
        ) from None
    if channel is None:
        raise records.WXRError(_("This is not a WordPress export: it has no <channel>."))


def _site(channel, version):
    def plain(tag):
        found = channel.find(tag)
        return (found.text or "").strip() if found is not None else ""

    return records.Site(
        version=version,
        title=plain("title"),
        link=plain("link"),
        description=plain("description"),
        language=plain("language"),
        base_site_url=_wp_text(channel, "base_site_url"),
        base_blog_url=_wp_text(channel, "base_blog_url"),
    )


def _author(element):
    return records.Author(
        line=element.sourceline or 0,
        login=_wp_text(element, "author_login"),
        wp_id=_optional_integer(_wp_text(element, "author_id")),
        email=_wp_text(element, "author_email"),
        display_name=_wp_text(element, "author_display_name"),
        first_name=_wp_text(element, "author_first_name"),
        last_name=_wp_text(element, "author_last_name"),
    )


def _term(kind, element):
    wp_id = _optional_integer(_wp_text(element, "term_id"))
    meta = _meta(element, "termmeta")
    if kind == "category":
        return records.Term(
            line=element.sourceline or 0, taxonomy="category", slug=_wp_text(element, "category_nicename"),
            name=_wp_text(element, "cat_name"), wp_id=wp_id, parent_slug=_wp_text(element, "category_parent"),
            description=_wp_text(element, "category_description", strip=False), meta=meta,
        )
    if kind == "tag":
        return records.Term(
            line=element.sourceline or 0, taxonomy="post_tag", slug=_wp_text(element, "tag_slug"),
            name=_wp_text(element, "tag_name"), wp_id=wp_id,
            description=_wp_text(element, "tag_description", strip=False), meta=meta,
        )
    return records.Term(
        line=element.sourceline or 0, taxonomy=_wp_text(element, "term_taxonomy"), slug=_wp_text(element, "term_slug"),
        name=_wp_text(element, "term_name"), wp_id=wp_id, parent_slug=_wp_text(element, "term_parent"),
        description=_wp_text(element, "term_description", strip=False), meta=meta,
    )


def _comment(element):
    return records.Comment(
        wp_id=_integer(_wp_text(element, "comment_id")),
        author=_wp_text(element, "comment_author"),
        author_email=_wp_text(element, "comment_author_email"),
        author_url=_wp_text(element, "comment_author_url"),
        author_ip=_wp_text(element, "comment_author_IP"),
        date=_date(_wp_text(element, "comment_date")),
        date_gmt=_date(_wp_text(element, "comment_date_gmt")),
        content=_wp_text(element, "comment_content", strip=False),
        approved=_wp_text(element, "comment_approved") or "1",
        type=_wp_text(element, "comment_type"),
        parent_id=_integer(_wp_text(element, "comment_parent")),
        user_id=_integer(_wp_text(element, "comment_user_id")),
        meta=_meta(element, "commentmeta"),
    )


def _item(element, with_comments=True):
    terms, comments = [], []
    content = excerpt = title = link = guid = creator = ""
    for child in element:
        tag = child.tag
        if tag == "category":
            name = (child.text or "").strip()
            slug = (child.get("nicename") or "").strip() or name
            terms.append(records.ItemTerm(taxonomy=(child.get("domain") or "category").strip(), slug=slug, name=name))
        elif tag == "title":
            title = child.text or ""
        elif tag == "link":
            link = (child.text or "").strip()
        elif tag == "guid":
            guid = (child.text or "").strip()
        elif tag == _CONTENT:
            content = child.text or ""
        elif tag == _DC_CREATOR:
            creator = (child.text or "").strip()
        elif _is_excerpt(tag):
            excerpt = child.text or ""
        elif with_comments and _is_wp(tag) == "comment":
            comments.append(_comment(child))
    post_id = _wp_text(element, "post_id")
    if not post_id.isdigit() or len(post_id) > 18:
        return None  # nothing to key it by: counted by census, skipped by read
    return records.Item(
        line=element.sourceline or 0,
        wp_id=int(post_id),
        post_type=_wp_text(element, "post_type") or "post",
        status=_wp_text(element, "status") or "publish",
        title=title,
        link=link,
        guid=guid,
        creator=creator,
        content=content,
        excerpt=excerpt,
        post_name=_wp_text(element, "post_name"),
        date=_date(_wp_text(element, "post_date")),
        date_gmt=_date(_wp_text(element, "post_date_gmt")),
        modified=_date(_wp_text(element, "post_modified")),
        modified_gmt=_date(_wp_text(element, "post_modified_gmt")),
        comment_status=_wp_text(element, "comment_status") or "open",
        parent_id=_integer(_wp_text(element, "post_parent")),
        menu_order=_integer(_wp_text(element, "menu_order").lstrip("-")),
        password=_wp_text(element, "post_password"),
        is_sticky=_wp_text(element, "is_sticky") == "1",
        attachment_url=_wp_text(element, "attachment_url"),
        terms=tuple(terms),
        meta=_meta(element, "postmeta"),
        comments=tuple(comments),
    )


def census(path) -> records.Census:
    """Read the whole file once: refuse it (records.WXRError) or count what it holds."""
    result = records.Census()
    for kind, element in _records(path):
        if kind == "site":
            result.version = element[1]
        elif kind == "author":
            result.authors += 1
        elif kind in ("category", "tag", "term"):
            term = _term(kind, element)
            result.terms[term.taxonomy] = result.terms.get(term.taxonomy, 0) + 1
        else:
            item = _item(element, with_comments=True)
            if item is None:
                result.items_without_id.append(element.sourceline or 0)
                continue
            result.items[item.post_type] = result.items.get(item.post_type, 0) + 1
            result.comments += len(item.comments)
            result.replies += sum(1 for comment in item.comments if comment.parent_id)
            if item.post_type == "attachment":
                result.attachments[item.wp_id] = records.Item(
                    **{name: getattr(item, name) for name in item.__dataclass_fields__ if name != "comments"}
                )
    return result


def read(path):
    """Yield the Site, then each Author, Term and Item of the file, in file order."""
    for kind, element in _records(path):
        if kind == "site":
            yield _site(*element)
        elif kind == "author":
            yield _author(element)
        elif kind in ("category", "tag", "term"):
            yield _term(kind, element)
        else:
            item = _item(element)
            if item is not None:
                yield item


def php_value(raw):
    """A PHP-serialized meta value decoded (arrays → dict, or list for 0..n-1 keys); anything else as given."""
    import phpserialize

    if not isinstance(raw, str):
        return raw
    value = raw
    for _attempt in range(2):  # WordPress sometimes serializes a serialized string again
        text = value.strip() if isinstance(value, str) else None
        if not text or text[:2] not in ("a:", "s:", "i:", "d:", "b:", "N;") or not text.endswith((";", "}")):
            return value
        try:
            value = phpserialize.loads(text.encode("utf-8"), decode_strings=True)
        except Exception:  # broken lengths, objects (refused without an object hook), truncation
            return raw
        value = _plain(value)
        if not isinstance(value, str):
            return value
    return value


def _plain(value):
    if isinstance(value, dict):
        converted = {key: _plain(item) for key, item in value.items()}
        if list(converted) == list(range(len(converted))):
            return [converted[index] for index in range(len(converted))]
        return converted
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value
