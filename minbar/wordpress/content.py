"""A WordPress post's content → the body an editor would have saved in Minbar's article editor.

Steps, in WordPress's own order: Gutenberg block comments rendered or
classic-editor paragraphs made (blocks.py); shortcodes expanded
(shortcodes.py), a wpDiscuz feedback shortcode leaving invisible marks
around its passage; the HTML sanitised with nh3 to the tags the editor
knows; then flattened into the editor's blocks (paragraphs, h2/h3, quotes,
lists, rules, images) and passed through Wagtail's own editor conversion,
where the marked passages become "passage" entities. The stored body is
therefore exactly what the admin saves and opens unchanged in it.

Every input is hostile: nothing but the allowed tags and http(s)/mailto or
site-relative links reaches the body, images only as Wagtail image embeds
of images this import made.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from dataclasses import dataclass, field

import nh3
from django.utils.translation import gettext_lazy as _
from lxml import etree
from lxml import html as lxml_html

from minbar.imports.items import clean_text, one_line, shown
from minbar.imports.richtext import from_plain_text
from minbar.newsroom.models import RICH_TEXT_FEATURES
from minbar.passages.richtext import KEY_PATTERN, QUESTION_MAX

from . import blocks, shortcodes

UNKNOWN_SHORTCODE = _("Unknown shortcode [%(name)s] kept as text")
IMAGE_NOT_FOUND = _("Image %(url)s not found")
PAGES_JOINED = _("Page breaks (<!--nextpage-->) dropped: the post's pages were joined into one")
GALLERY_WITHOUT_IMAGES = _("A gallery that lists no images (all images attached to the post) was dropped")
KEPT_AS_TEXT = _("The post's HTML could not be read; its text was kept as plain paragraphs")
QUESTION_DROPPED = _("Feedback question %(id)s has no question text or no passage left; not imported")

UPLOADS = "/wp-content/uploads/"
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|tr|pre|figcaption)>|<br\s*/?>", re.IGNORECASE)
_WP_IMAGE_CLASS = re.compile(r"(?:^|\s)wp-image-(\d{1,18})(?:\s|$)")
_FORMAT_OF_ALIGN = {"alignleft": "left", "alignright": "right"}


@dataclass(frozen=True)
class ImageRef:
    """A Minbar image standing for a WordPress attachment (given by the media part's resolver)."""

    id: int
    alt: str = ""


@dataclass(frozen=True)
class FeedbackQuestion:
    """A wpDiscuz feedback question on a passage: `key` names its passage in the body."""

    wp_id: str
    key: str
    question: str
    is_open: bool
    passage_text: str = ""


@dataclass
class Converted:
    body: str
    questions: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # (message, params)
    images: list = field(default_factory=list)  # image ids, in order of first use


def passage_key(wp_feedback_id) -> str:
    """The passage KEY for a wpDiscuz feedback id: the id itself when it is a valid key, else a short hash of it."""
    value = str(wp_feedback_id)
    if KEY_PATTERN.match(value):
        return value
    return "wp" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]


# --- marks of feedback passages --------------------------------------------------
# Private-use characters stand for the start and end of passage number N
# while the text goes through cleaning and the editor's reader, which keep
# them as ordinary text; they are turned into passage entities at the end.
# The same characters are removed from the input first, so it cannot forge them.
_START, _END, _STOP = "\ue000", "\ue001", "\ue002"
_MARK = re.compile("([\ue000\ue001])(\\d+)\ue002")
_MARK_CHARACTERS = re.compile("[\ue000-\ue002]")


def _start_mark(number):
    return f"{_START}{number}{_STOP}"


def _end_mark(number):
    return f"{_END}{number}{_STOP}"


# --- the conversion ----------------------------------------------------------------


def convert(html_text: str, *, image_for=None) -> Converted:
    """Wagtail rich text for a post's content (see the module's docstring).

    `image_for(attachment_id or None, src_url)` returns an ImageRef or None.
    """
    run = _Run(image_for)
    text = _MARK_CHARACTERS.sub("", clean_text(html_text or ""))
    if not text.strip():
        return Converted(body="")
    if blocks.has_blocks(text):
        rendered = blocks.from_blocks(text)
        text, page_breaks = rendered.html, rendered.page_breaks
    else:
        text, page_breaks = blocks.PAGE_BREAK.subn("", text)
        text = blocks.paragraphs(text)
    if page_breaks:
        run.warn(PAGES_JOINED)
    text = shortcodes.expand(text, run.shortcode)
    safe = _sanitise(text)
    try:
        flat = _Flattener(run).flatten(safe)
        body = _to_editor_format(flat, run) if flat else ""
    except (ValueError, AssertionError, etree.LxmlError):
        # Markup the reader cannot pair or nests absurdly deep: keep the words.
        run.warn(KEPT_AS_TEXT)
        run.questions, run.images = [], []
        body = from_plain_text(_text_of(_BLOCK_END.sub("\n", safe)))
    return Converted(body=body, questions=run.finished_questions(), warnings=run.warnings, images=run.images)


class _Run:
    """What one conversion collects: warnings (each once), images used, feedback questions."""

    def __init__(self, image_for):
        self.image_for = image_for
        self.warnings = []
        self.images = []
        self.questions = []  # FeedbackQuestion without passage text, index = mark number
        self.passages = {}  # mark number → list of passage pieces (text)
        self._seen = set()

    def warn(self, message, params=None):
        params = params or {}
        seen = (str(message), tuple(sorted(params.items())))
        if seen not in self._seen:
            self._seen.add(seen)
            self.warnings.append((message, params))

    def use_image(self, image_id):
        if image_id not in self.images:
            self.images.append(image_id)

    def finished_questions(self):
        finished, keys = [], set()
        for number, question in enumerate(self.questions):
            passage = " ".join(" ".join(self.passages.get(number, [])).split())
            if not passage or not question.question:
                self.warn(QUESTION_DROPPED, {"id": shown(question.wp_id)})
                continue
            if question.key in keys:  # the same question marked twice: one passage
                continue
            keys.add(question.key)
            finished.append(
                FeedbackQuestion(question.wp_id, question.key, question.question, question.is_open, passage)
            )
        return finished

    # --- shortcodes -----------------------------------------------------------------

    def shortcode(self, code: shortcodes.Shortcode):
        handler = _SHORTCODES.get(code.name)
        if handler is None:
            self.warn(UNKNOWN_SHORTCODE, {"name": shown(code.name)})
            return None
        return handler(self, code)

    def feedback(self, code):
        wp_id = one_line(code.attributes.get("id", ""))
        question = one_line(_text_of(code.attributes.get("question", "")))[:QUESTION_MAX]
        number = len(self.questions)
        self.questions.append(
            FeedbackQuestion(wp_id, passage_key(wp_id), question, code.attributes.get("opened", "0").strip() == "1")
        )
        return _start_mark(number) + (code.content or "") + _end_mark(number)

    def caption(self, code):
        # The caption becomes an italic paragraph under the image, not its alt
        # text: alt text is read only to people who cannot see the image and
        # should describe it, while a caption (context, a photographer's
        # credit) is meant for every reader, as it was on the old site.
        content = code.content or ""
        images = _IMG_OR_LINKED_IMG.findall(content)
        caption = code.attributes.get("caption") or _IMG_OR_LINKED_IMG.sub("", content)
        classes = []
        attachment = re.fullmatch(r"attachment_(\d{1,18})", code.attributes.get("id", "").strip())
        if attachment:
            classes.append(f"wp-image-{attachment.group(1)}")
        if code.attributes.get("align") in ("alignleft", "alignright", "aligncenter", "alignnone"):
            classes.append(code.attributes["align"])
        figure = "".join(_with_classes(image, " ".join(classes)) for image in images)
        if caption.strip():
            figure += f"<figcaption>{caption.strip()}</figcaption>"
        return f"<figure>{figure}</figure>"

    def gallery(self, code):
        ids = [part.strip() for part in code.attributes.get("ids", code.attributes.get("include", "")).split(",")]
        ids = [part for part in ids if part.isascii() and part.isdigit()]
        if not ids:
            self.warn(GALLERY_WITHOUT_IMAGES)
            return ""
        return "".join(f'<figure><img class="wp-image-{image_id}"></figure>' for image_id in ids)

    def media_link(self, code):
        candidates = [code.attributes.get(name, "") for name in _MEDIA_URL_ATTRIBUTES]
        candidates += code.positional
        if code.content is not None:
            candidates.append(_text_of(code.content))
        url = next((value.strip() for value in candidates if value and value.strip()), "")
        if code.name == "youtube" and url and not url.startswith(("http://", "https://")):
            url = "https://www.youtube.com/watch?v=" + url
        return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>' if url else ""


_MEDIA_URL_ATTRIBUTES = ("url", "src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "m4a", "ogg", "wav", "wma", "id")
_SHORTCODES = {
    "wpdiscuz-feedback": _Run.feedback,
    "caption": _Run.caption,
    "wp_caption": _Run.caption,
    "gallery": _Run.gallery,
    "embed": _Run.media_link,
    "video": _Run.media_link,
    "audio": _Run.media_link,
    "youtube": _Run.media_link,
}
_IMG_OR_LINKED_IMG = re.compile(r"<a\b[^<>]*>\s*<img\b[^<>]*>\s*</a>|<img\b[^<>]*>", re.IGNORECASE)
_IMG_IN = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)


def _with_classes(image_html, classes):
    if not classes:
        return image_html
    return _IMG_IN.sub(lambda match: blocks.with_image_classes(match.group(0), classes), image_html, count=1)


def _text_of(markup: str) -> str:
    return html.unescape(nh3.clean(markup, tags=set(), clean_content_tags={"script", "style"}))


# --- sanitising ----------------------------------------------------------------------

_ALLOWED_TAGS = {
    "p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "cite",
    "b", "strong", "i", "em", "a", "img", "figure", "figcaption", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
    "section", "article", "aside", "header", "footer", "main", "address", "dl", "dt", "dd", "details", "summary",
}  # fmt: skip
_DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "textarea", "select",
    "button", "video", "audio", "canvas", "map", "title", "head",
}  # fmt: skip


def _sanitise(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}, "img": {"src", "class", "alt"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def _safe_href(href: str) -> str | None:
    """The link a reader may follow: http(s), mailto, or a path on this site (old addresses are redirected)."""
    href = href.strip()
    lowered = href.lower()
    if lowered.startswith(("http://", "https://", "mailto:")):
        return href
    if href.startswith("//"):
        return "https:" + href
    if href.startswith("/"):
        return href
    return None  # "page.html", "#top", "?p=12": nowhere to point to once the old site is gone


# --- flattening into the editor's blocks ----------------------------------------------

_HEADING = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
_INLINE_FORMATS = {"b": "b", "strong": "b", "i": "i", "em": "i"}
_TABLE_PARTS = {"thead", "tbody", "tfoot"}
_CELL_SEPARATOR = " — "


# No article nests this deep; deeper markup is hostile or broken and is kept as text.
_DEEPEST = 100


class _TooDeep(ValueError):
    pass


def _has_text(element):
    return any(not piece.isspace() for piece in element.itertext() if piece)


# Without huge_tree libxml2 silently drops whatever is nested deeper than 256 elements.
_PARSER = lxml_html.HTMLParser(huge_tree=True)


class _Flattener:
    """Turns sanitised HTML into the flat sequence of blocks the editor holds.

    The editor has no nesting except lists: a paragraph inside a quote, a
    list item or a link would otherwise come out of Wagtail's reader broken.
    Inline formatting open when a block ends is closed and opened again in
    the next one, as the editor itself does.
    """

    def __init__(self, run: _Run):
        self.run = run
        self.out = []
        self.buffer = []
        self.has_text = False
        self.inline = []  # (opening tag, closing tag) of open bold/italic/link
        self.kind = "p"
        self.depth = 0

    def flatten(self, safe_html: str) -> str:
        if not safe_html.strip():
            return ""
        root = lxml_html.fragment_fromstring(safe_html, create_parent="div", parser=_PARSER)
        self.walk_children(root)
        self.flush()
        return "".join(self.out)

    # Text and inline elements go to the current block's buffer.
    def text(self, value):
        if value:
            self.buffer.append(html.escape(value, quote=False))
            if not value.isspace():
                self.has_text = True

    def flush(self):
        if self.has_text:
            closes = "".join(close for _opening, close in reversed(self.inline))
            self.out.append(f"<{self.kind}>{''.join(self.buffer)}{closes}</{self.kind}>")
        self.buffer = [opening for opening, _close in self.inline]
        self.has_text = False

    def block(self, markup):
        self.flush()
        self.out.append(markup)

    def walk_children(self, element):
        self.text(element.text)
        for child in element:
            if isinstance(child.tag, str):
                self.walk(child)
            self.text(child.tail)

    def walk(self, element):
        self.depth += 1
        if self.depth > _DEEPEST:
            raise _TooDeep
        try:
            self.dispatch(element)
        finally:
            self.depth -= 1

    def dispatch(self, element):
        tag = element.tag
        if tag in _INLINE_FORMATS or tag == "a":
            self.inline_element(element)
        elif tag == "br":
            self.buffer.append("<br/>")
        elif tag == "img":
            self.image(element)
        elif tag == "hr":
            self.block("<hr/>")
        elif tag in ("ul", "ol"):
            self.flush()
            self.list(element)
        elif tag == "table":
            self.table(element)
        elif tag == "pre":
            self.pre(element)
        elif tag == "figcaption":
            self.in_block(element, "p", wrap=("<i>", "</i>"))
        elif tag in _HEADING:
            self.in_block(element, _HEADING[tag])
        elif tag == "blockquote":
            self.in_block(element, "blockquote")
        else:  # p, div, figure, cite, sections…: a block boundary around its content
            self.in_block(element, self.kind)

    def in_block(self, element, kind, wrap=None):
        self.flush()
        outer_kind = self.kind
        # A heading or quote inside a quote stays a quote: the editor cannot nest them.
        self.kind = "blockquote" if outer_kind == "blockquote" else kind
        if wrap:
            self.inline.append(wrap)
            self.buffer.append(wrap[0])
        self.walk_children(element)
        if wrap:
            self.buffer.append(wrap[1])
            self.inline.pop()
        self.flush()
        self.kind = outer_kind

    def inline_element(self, element):
        if not _has_text(element):  # formatting or a link around nothing (but perhaps an image)
            self.walk_children(element)
            return
        if element.tag == "a":
            href = _safe_href(element.get("href", ""))
            # A link around nothing but an image: the image stays, the link goes.
            only_image = not (element.text or "").strip() and len(element) == 1 and element[0].tag == "img"
            # Links do not nest: an inner one gives only its text.
            if href is None or only_image or any(opening.startswith("<a ") for opening, _close in self.inline):
                self.walk_children(element)
                return
            tags = (f'<a href="{html.escape(href)}">', "</a>")
        else:
            name = _INLINE_FORMATS[element.tag]
            tags = (f"<{name}>", f"</{name}>")
            if tags in self.inline:  # italic inside italic: already italic
                self.walk_children(element)
                return
        self.inline.append(tags)
        self.buffer.append(tags[0])
        self.walk_children(element)
        self.buffer.append(tags[1])
        self.inline.pop()

    def image(self, element):
        embed = self.run_image(element)
        if embed:
            self.block(embed)

    def run_image(self, element):
        src = (element.get("src") or "").strip()
        alt = one_line(element.get("alt") or "")
        classes = (element.get("class") or "").split()
        attachment = next((int(match.group(1)) for match in map(_WP_IMAGE_CLASS.match, classes) if match), None)
        ref = None
        if (attachment is not None or UPLOADS in src) and self.run.image_for is not None:
            ref = self.run.image_for(attachment, src)
        if ref is None:
            self.run.warn(IMAGE_NOT_FOUND, {"url": shown(src or (f"#{attachment}" if attachment else "?"), 80)})
            self.text(alt and f" {alt} ")
            return ""
        self.run.use_image(ref.id)
        image_format = next((_FORMAT_OF_ALIGN[name] for name in classes if name in _FORMAT_OF_ALIGN), "fullwidth")
        alt = alt or one_line(ref.alt or "")
        return (
            f'<embed embedtype="image" id="{int(ref.id)}" format="{image_format}" alt="{html.escape(alt)}"/>'
        )

    def list(self, element):
        """A list as the editor holds it: items of inline text, nested lists; images and rules after it."""
        after = []
        self.out.append(self.list_html(element, after))
        self.out.extend(after)

    def list_html(self, element, after, depth=0):
        if depth > _DEEPEST:
            raise _TooDeep
        items = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "li":
                items.append(self.item_html(child, after, depth))
            elif child.tag in ("ul", "ol"):  # a list straight in a list: WordPress's way of indenting
                items.append(f"<li>{self.list_html(child, after, depth + 1)}</li>")
            else:
                items.append(f"<li>{self.item_html(child, after, depth)[4:-5]}</li>")
        items = [item for item in items if item != "<li></li>"]
        return f"<{element.tag}>{''.join(items)}</{element.tag}>" if items else ""

    def item_html(self, item, after, depth):
        inner = _Flattener(self.run)
        inner.depth = depth
        nested = []

        def walk_item(element, level=0):
            if depth + level > _DEEPEST:
                raise _TooDeep
            inner.text(element.text)
            for child in element:
                if isinstance(child.tag, str):
                    if child.tag in ("ul", "ol"):
                        nested.append(self.list_html(child, after, depth + level + 1))
                    elif child.tag == "img":
                        embed = inner.run_image(child)
                        if embed:
                            after.append(embed)
                    elif child.tag in _INLINE_FORMATS or child.tag == "a" or child.tag == "br":
                        inner.walk(child)
                    elif child.tag == "hr":
                        after.append("<hr/>")
                    else:  # a paragraph or other block in an item: a line of its own
                        if inner.has_text:
                            inner.buffer.append("<br/>")
                        walk_item(child, level + 1)
                inner.text(child.tail)

        walk_item(item)
        text = "".join(inner.buffer).strip() if inner.has_text else ""
        return f"<li>{text}{''.join(nested)}</li>"

    def table(self, element):
        """A table's text, a paragraph per row: the editor has no tables."""
        self.flush()
        for part in element.iter("caption", "tr"):
            if part.tag == "caption":
                cells = [part]
            else:
                cells = [cell for cell in part if cell.tag in ("td", "th")]
            texts = [" ".join("".join(cell.itertext()).split()) for cell in cells]
            row = _CELL_SEPARATOR.join(text for text in texts if text)
            if row:
                self.out.append(f"<{self.kind}>{html.escape(row, quote=False)}</{self.kind}>")

    def pre(self, element):
        """Preformatted text: its paragraphs, its lines kept as line breaks."""
        self.flush()
        text = "".join(element.itertext()).replace("\r", "")
        for chunk in blocks.BLANK_LINES.split(text):
            lines = [html.escape(line.rstrip(), quote=False) for line in chunk.strip("\n").split("\n")]
            if any(line.strip() for line in lines):
                self.out.append(f"<{self.kind}>{'<br/>'.join(lines)}</{self.kind}>")


# --- Wagtail's editor format and the passages -----------------------------------------

_local = threading.local()


def _converter():
    """One ContentstateConverter per thread, whose image reader does not query the database.

    Wagtail's own reader fetches every image and makes a rendition for the
    editor's preview; the stored embed does not depend on it.
    """
    converter = getattr(_local, "converter", None)
    if converter is None:
        from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
        from wagtail.admin.rich_text.converters.contentstate_models import Entity
        from wagtail.images.rich_text.contentstate import ImageElementHandler

        class StoredImageHandler(ImageElementHandler):
            def create_entity(self, name, attrs, state, contentstate):
                data = {"id": attrs["id"], "src": "", "alt": attrs.get("alt"), "format": attrs["format"]}
                return Entity("IMAGE", "IMMUTABLE", data)

        converter = ContentstateConverter(RICH_TEXT_FEATURES)
        rules = converter.html_to_contentstate_handler.element_handlers.element_rules.get("embed", [])
        rules[:] = [
            (precedence, check, StoredImageHandler() if isinstance(handler, ImageElementHandler) else handler)
            for precedence, check, handler in rules
        ]
        _local.converter = converter
    return converter


_EMPTY_PARAGRAPH = re.compile(r'<p data-block-key="[^"]*">\s*(?:<br/>\s*)*</p>')


def _to_editor_format(flat_html: str, run: _Run) -> str:
    from wagtail.admin.rich_text.converters.contentstate_models import Entity

    converter = _converter()
    reader = converter.html_to_contentstate_handler
    reader.reset()
    reader.feed(flat_html)
    reader.close()
    contentstate = reader.contentstate
    if run.questions:
        entities = {}
        for number, question in enumerate(run.questions):
            if question.question:
                data = {"key": question.key, "question": question.question}
                entities[number] = contentstate.add_entity(Entity("PASSAGE", "MUTABLE", data))
        _mark_passages(contentstate, entities, run)
    state = contentstate.as_dict()
    # The exporter looks entities up by the string keys JSON would give them.
    state["entityMap"] = {str(key): entity for key, entity in state["entityMap"].items()}
    stored = converter.exporter.render(state)
    return _MARK_CHARACTERS.sub("", _EMPTY_PARAGRAPH.sub("", stored))


def _mark_passages(contentstate, entities, run):
    """Turn the passage marks in the blocks' text into passage entity ranges (per block, as the editor stores them)."""
    from wagtail.admin.rich_text.converters.contentstate_models import EntityRange

    open_passages = []  # mark numbers, innermost last
    for block in contentstate.blocks:
        if block.type == "atomic":
            continue
        text = block.text
        if not open_passages and _START not in text and _END not in text:
            continue
        # New text without the marks, the new offset of every old one, and who owns each new character.
        kept, new_offset, owners = [], [0] * (len(text) + 1), []
        position, index = 0, 0
        for match in _MARK.finditer(text):
            for char in text[position : match.start()]:
                new_offset[index] = len(kept)
                kept.append(char)
                owners.append(open_passages[-1] if open_passages else None)
                index += 1
            for index in range(index, match.end()):
                new_offset[index] = len(kept)
            index = match.end()
            number = int(match.group(2))
            if match.group(1) == _START:
                open_passages.append(number)
            elif number in open_passages:
                open_passages.remove(number)
            position = match.end()
        for char in text[position:]:
            new_offset[index] = len(kept)
            kept.append(char)
            owners.append(open_passages[-1] if open_passages else None)
            index += 1
        new_offset[len(text)] = len(kept)
        block.text = "".join(kept)
        for ranged in block.inline_style_ranges + block.entity_ranges:
            start, end = new_offset[ranged.offset], new_offset[ranged.offset + ranged.length]
            ranged.offset, ranged.length = start, end - start
        block.inline_style_ranges = [ranged for ranged in block.inline_style_ranges if ranged.length > 0]
        block.entity_ranges = [ranged for ranged in block.entity_ranges if ranged.length > 0]
        # A character holds one entity: link text inside a passage stays a link, the passage goes around it.
        for ranged in block.entity_ranges:
            for offset in range(ranged.offset, ranged.offset + ranged.length):
                owners[offset] = None
        new_ranges = []
        spans = {}
        offset = 0
        while offset < len(owners):
            owner = owners[offset]
            end = offset
            while end < len(owners) and owners[end] == owner:
                end += 1
            start, stop = offset, end
            while start < stop and block.text[start].isspace():
                start += 1
            while stop > start and block.text[stop - 1].isspace():
                stop -= 1
            if owner is not None and start < stop:
                if owner in entities:
                    entity_range = EntityRange(entities[owner])
                    entity_range.offset, entity_range.length = start, stop - start
                    new_ranges.append(entity_range)
                first, last = spans.get(owner, (start, stop))
                spans[owner] = (min(first, start), max(last, stop))
            offset = end
        block.entity_ranges = sorted(block.entity_ranges + new_ranges, key=lambda ranged: ranged.offset)
        for owner, (start, stop) in spans.items():
            run.passages.setdefault(owner, []).append(block.text[start:stop])
