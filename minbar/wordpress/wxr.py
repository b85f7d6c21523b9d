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
# XML's own whitespace: Python's str.strip() would also eat NBSP, U+2028 and
# other characters that are content in Arabic titles and slugs.
_XML_SPACE = " \t\r\n"


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


def _trim(value):
    return value.strip(_XML_SPACE)


def _text(element):
    return element.text or "" if element is not None else ""


def _child(element, local):
    for child in element:
        if _is_wp(child.tag) == local:
            return child
    return None


def _wp_text(element, local, strip=True):
    value = _text(_child(element, local))
    return _trim(value) if strip else value


def _optional_integer(value):
    """An int from "12", "-1" or " 7 "; None for empty text, garbage or numbers too big for a database column."""
    value = _trim(value or "")
    digits = value[1:] if value[:1] in "+-" else value
    # isdecimal() and not isdigit(): "²" is a digit to Python but not a number int() reads.
    if not digits or not (digits.isascii() and digits.isdecimal()) or len(digits) > 18:
        return None
    return int(value)


def _integer(value):
    number = _optional_integer(value)
    return 0 if number is None else number


def _date(value):
    value = _trim(value or "")
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
    # lxml's error log is per thread and keeps earlier parses' complaints; start clean
    # so that a refusal names this file's fault.
    etree.clear_error_log()
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


def _refuse_entity_declarations(root):
    """WordPress never writes a DOCTYPE; one that declares entities is a billion-laughs or file-reading attempt."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _entity in dtd.iterentities()):
        raise records.WXRError(
            _("The file declares XML entities in a DOCTYPE. WordPress exports never do, and such entities "
              "can make a file expand to gigabytes, so the file is refused.")
        )


def _no_version(element, before_content):
    if before_content:
        return records.WXRError(
            _("The export has no WXR version (<wp:wxr_version>) before its content."), element.sourceline, 1
        )
    return records.WXRError(_("The export has no WXR version (<wp:wxr_version>)."), element.sourceline, 1)


def _records(path):
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
                    _refuse_entity_declarations(element)
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
                    version = _trim(element.text or "")
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
                            raise _no_version(element, before_content=True)
                        site_seen = True
                        yield "site", (channel, version)
                    yield kind, element
                    _free(element)
            elif element is channel:
                if version is None:
                    raise _no_version(element, before_content=False)
                if not site_seen:
                    site_seen = True
                    yield "site", (channel, version)
    except etree.XMLSyntaxError as error:
        fault = _first_fault(error, str(path))
        # libxml2 reports an odd namespace URI (non-ASCII, not absolute) when the
        # document closes; the XML itself is well-formed and was read in full.
        if fault is None and finished and error.code in _NAMESPACE_WARNINGS:
            return
        line, column, detail = fault or _position(error)
        if line is None and not detail:
            raise records.WXRError(_("The file is empty.")) from None
        raise records.WXRError(
            _("The file is not well-formed XML: %(detail)s") % {"detail": shown(detail, 120)}, line, column
        ) from None
    if channel is None:
        raise records.WXRError(_("This is not a WordPress export: it has no <channel>."))


def _first_fault(error, filename):
    """(line, column, message) of the first fatal error libxml2 logged for this file, or None.

    The exception's own message may be an earlier, harmless complaint (a
    non-ASCII namespace URI) or a bare "no element found" at 0:0 (an
    undeclared entity while entities are not resolved); the log has the cause.
    """
    for entry in error.error_log:
        if entry.level == etree.ErrorLevels.FATAL and entry.filename == filename and entry.line:
            return entry.line, entry.column, entry.message
    return None


def _position(error):
    if error.position and error.position[0]:
        return error.position[0], error.position[1], (error.msg or "").split(", line ")[0]
    if error.msg == "no element found":
        return None, None, ""  # nothing but whitespace, or nothing at all
    return None, None, error.msg or ""


def _site(channel, version):
    def plain(tag):
        found = channel.find(tag)
        return _trim(found.text or "") if found is not None else ""

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
            terms.append(child)
        elif tag == "title":
            title = child.text or ""
        elif tag == "link":
            link = _trim(child.text or "")
        elif tag == "guid":
            guid = _trim(child.text or "")
        elif tag == _CONTENT:
            content = child.text or ""
        elif tag == _DC_CREATOR:
            creator = _trim(child.text or "")
        elif _is_excerpt(tag):
            excerpt = child.text or ""
        elif with_comments and _is_wp(tag) == "comment":
            comments.append(_comment(child))
    post_id = _optional_integer(_wp_text(element, "post_id"))
    if post_id is None or post_id < 0:
        return None  # nothing to key it by: listed by census, skipped by read
    return records.Item(
        line=element.sourceline or 0,
        wp_id=post_id,
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
        menu_order=_integer(_wp_text(element, "menu_order")),
        password=_wp_text(element, "post_password"),
        is_sticky=_wp_text(element, "is_sticky") == "1",
        attachment_url=_wp_text(element, "attachment_url"),
        terms=_item_terms(terms),
        meta=_meta(element, "postmeta"),
        comments=tuple(comments),
    )


def _item_terms(elements):
    """The item's <category> elements as ItemTerms, without WXR 1.0's duplicates.

    WXR 1.0 writes each term twice: a bare <category>Name</category> for RSS
    readers (no domain: a category) or one with a domain but no nicename, and
    the full one with domain and nicename. The bare one is dropped when the
    full one names the same term; "tag" was 1.0's name for post_tag.
    """
    terms = []
    for element in elements:
        name = _trim(element.text or "")
        taxonomy = _trim(element.get("domain") or "") or "category"
        if taxonomy == "tag":
            taxonomy = "post_tag"
        nicename = _trim(element.get("nicename") or "")
        terms.append((records.ItemTerm(taxonomy=taxonomy, slug=nicename or name, name=name), bool(nicename)))
    full = {(term.taxonomy, term.name) for term, has_nicename in terms if has_nicename}
    kept = []
    for term, has_nicename in terms:
        if (not has_nicename and (term.taxonomy, term.name) in full) or term in kept:
            continue
        kept.append(term)
    return tuple(kept)


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
