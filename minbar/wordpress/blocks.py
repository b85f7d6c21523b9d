"""The two ways WordPress stores a post's HTML, brought to plain HTML.

Classic editor: no <p> tags; a blank line separates paragraphs and a single
newline is a line break (`paragraphs`). Block editor (Gutenberg): HTML
framed by `<!-- wp:name {json attributes} -->` … `<!-- /wp:name -->`
comments, or `<!-- wp:name {…} /-->` for blocks without content (`from_blocks`).
Only what a reader can see is kept: embeds become links (a reader's page
requests nothing from another host), layout blocks give their content.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

BLOCK_COMMENT = re.compile(
    r"<!--\s*(?P<closing>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s*"
    r"(?P<attributes>\{[^<>]*?\})?\s*(?P<void>/)?-->",
    re.DOTALL,
)
PAGE_BREAK = re.compile(r"<!--\s*nextpage\s*-->", re.IGNORECASE)

# Elements that are blocks of their own: never wrapped in a paragraph.
_BLOCK_TAGS = (
    "p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|table|thead|tbody|tfoot|tr|td|th|caption|figure|figcaption|pre|hr"
    "|section|article|aside|header|footer|main|nav|address|form|fieldset|legend|details|summary|hgroup|menu"
    "|script|style|iframe|object|video|audio|noscript|template|math|svg|colgroup|col"
)
_BLOCK_TAG = re.compile(rf"<(/?)({_BLOCK_TAGS})\b[^<>]*>", re.IGNORECASE)
# Blocks whose loose text becomes paragraphs; inside any other block (a list
# item, a heading, a cell) text stays as it is, line breaks kept.
_HOLDS_PARAGRAPHS = {"div", "blockquote", "section", "article", "aside", "header", "footer", "main", "figure", "details"}
_VOID_BLOCKS = {"hr", "col"}
# Their text is not prose: kept away from paragraph making.
_VERBATIM_OPEN = re.compile(r"<(pre|script|style|textarea|svg|math)\b", re.IGNORECASE)
# Deeper block nesting is hostile: blocks below this depth are read as having no content of their own.
_DEEPEST = 40
BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_BREAK_THEN_NEWLINE = re.compile(r"<br\s*/?>[ \t]*\n", re.IGNORECASE)
# A shortcode standing alone on its paragraph that produces blocks itself.
_BLOCK_SHORTCODE = re.compile(
    r"^\[(?:caption|wp_caption|gallery|embed|video|audio|playlist|youtube)\b.*\]$", re.IGNORECASE | re.DOTALL
)
_PLACEHOLDER = "\ue010%d\ue011"
_PLACEHOLDER_PATTERN = re.compile("\ue010(\\d+)\ue011")


def paragraphs(text: str) -> str:
    """Classic-editor text with its paragraphs and line breaks made into <p> and <br/>."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    kept = []
    text = _protect_verbatim(_PLACEHOLDER_PATTERN.sub("", text), kept)
    text = _BREAK_THEN_NEWLINE.sub("<br/>", text)
    pieces, open_blocks, position = [], [], 0
    for match in _BLOCK_TAG.finditer(text):
        pieces.append(_loose_text(text[position : match.start()], open_blocks))
        pieces.append(match.group(0))
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            if name in open_blocks:
                del open_blocks[len(open_blocks) - 1 - open_blocks[::-1].index(name) :]
        elif name not in _VOID_BLOCKS and not match.group(0).endswith("/>"):
            open_blocks.append(name)
        position = match.end()
    pieces.append(_loose_text(text[position:], open_blocks))
    result = "".join(pieces)
    if kept:
        result = _PLACEHOLDER_PATTERN.sub(lambda match: kept[int(match.group(1))], result)
    return result


def _protect_verbatim(text: str, kept: list) -> str:
    """`text` with each <pre>, <script>… element replaced by a placeholder, its source put in `kept`.

    Searched for by hand rather than with one regular expression, which
    would take quadratic time on a post full of unclosed <pre> tags.
    """
    lowered, pieces, position = text.lower(), [], 0
    while True:
        opening = _VERBATIM_OPEN.search(text, position)
        if opening is None:
            break
        closing = lowered.find("</" + opening.group(1).lower(), opening.end())
        closing_end = lowered.find(">", closing) if closing >= 0 else -1
        if closing_end < 0:
            break  # unclosed: the rest is its content, left to the sanitiser
        pieces.append(text[position : opening.start()])
        kept.append(text[opening.start() : closing_end + 1])
        pieces.append(_PLACEHOLDER % (len(kept) - 1))
        position = closing_end + 1
    pieces.append(text[position:])
    return "".join(pieces)


def _loose_text(text: str, open_blocks: list) -> str:
    if not text or text.isspace():
        return text
    if open_blocks and open_blocks[-1] not in _HOLDS_PARAGRAPHS:
        return text.strip("\n").replace("\n", "<br/>")
    chunks = []
    for chunk in BLANK_LINES.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_SHORTCODE.match(chunk) or _PLACEHOLDER_PATTERN.fullmatch(chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br/>") + "</p>")
    return "\n".join(chunks)


@dataclass
class Block:
    name: str  # without the "core/" namespace
    attributes: dict
    children: list = field(default_factory=list)  # str (HTML) and Block, in order


@dataclass
class BlockOutcome:
    html: str
    page_breaks: int = 0


def has_blocks(text: str) -> bool:
    return "<!--" in text and BLOCK_COMMENT.search(text) is not None


def from_blocks(text: str) -> BlockOutcome:
    """Block-editor content as plain HTML: block comments gone, each block rendered (see the module's docstring)."""
    root = Block("", {})
    stack, position = [root], 0
    for match in BLOCK_COMMENT.finditer(text):
        stack[-1].children.append(text[position : match.start()])
        position = match.end()
        name = match.group("name").removeprefix("core/")
        if match.group("closing"):
            # A closer without its opener is dropped; one that skips open blocks closes them too.
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == name:
                    del stack[depth:]
                    break
            continue
        block = Block(name, _attributes(match.group("attributes")))
        stack[-1].children.append(block)
        if not match.group("void") and len(stack) <= _DEEPEST:
            stack.append(block)
    stack[-1].children.append(text[position:])
    outcome = BlockOutcome("")
    outcome.html = _render_children(root, outcome, top_level=True)
    return outcome


def _attributes(raw):
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _render_children(block: Block, outcome: BlockOutcome, top_level=False) -> str:
    pieces = []
    for child in block.children:
        if isinstance(child, Block):
            pieces.append(_render(child, outcome))
        elif top_level:
            # Text between blocks is classic-editor text (the "freeform" block).
            pieces.append(paragraphs(_count_page_breaks(child, outcome)))
        else:
            pieces.append(_count_page_breaks(child, outcome))
    return "".join(pieces)


def _count_page_breaks(text, outcome):
    if "<!--" in text:
        text, count = PAGE_BREAK.subn("", text)
        outcome.page_breaks += count
    return text


_IMG_TAG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_CLASS_ATTRIBUTE = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAGS = re.compile(r"<[^<>]*>")


def with_image_classes(img_tag: str, classes: str) -> str:
    """An <img> tag with `classes` put first in its class attribute (the ID and alignment a block or caption knows)."""
    match = _CLASS_ATTRIBUTE.search(img_tag)
    existing = next((group for group in match.groups() if group is not None), "") if match else ""
    without = _CLASS_ATTRIBUTE.sub("", img_tag, count=1) if match else img_tag
    return f'<img class="{html.escape(classes + " " + existing)}"' + without[len("<img") :]


def _image_classes(attributes: dict) -> str:
    classes = []
    image_id = attributes.get("id")
    if isinstance(image_id, int) or (isinstance(image_id, str) and image_id.isascii() and image_id.isdigit()):
        classes.append(f"wp-image-{image_id}")
    align = attributes.get("align")
    if align in ("left", "right", "center", "wide", "full"):
        classes.append(f"align{align}")
    return " ".join(classes)


def _link(url: str) -> str:
    url = url.strip()
    return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>' if url else ""


def _render(block: Block, outcome: BlockOutcome) -> str:
    name, attributes = block.name, block.attributes
    if name in ("more", "nextpage"):
        outcome.page_breaks += name == "nextpage"
        return ""
    if name == "separator":
        return "<hr/>"
    if name == "embed" or name.startswith("core-embed/"):
        url = attributes.get("url")
        if not isinstance(url, str) or not url.strip():
            url = html.unescape(_TAGS.sub(" ", _render_children(block, outcome))).strip()
        return _link(url)
    inner = _render_children(block, outcome)
    if name == "image":
        classes = _image_classes(attributes)
        return _IMG_TAG.sub(lambda match: with_image_classes(match.group(0), classes), inner, count=1) if classes else inner
    if name == "gallery":
        return _gallery(attributes, inner)
    if name in ("quote", "pullquote") and "<blockquote" not in inner.lower():
        return f"<blockquote>{inner}</blockquote>"
    if name == "shortcode":
        # WordPress makes paragraphs of a shortcode block's text, as in the classic editor.
        return paragraphs(inner)
    # Everything else (paragraph, heading, list, html, columns, group, unknown
    # blocks…) is its inner HTML; the cleaning that follows keeps what is allowed.
    return inner


def _gallery(attributes: dict, inner: str) -> str:
    images = _IMG_TAG.findall(inner)
    named = set(re.findall(r"wp-image-(\d+)", " ".join(images)))
    ids = attributes.get("ids")
    for image_id in ids if isinstance(ids, list) else []:
        if str(image_id).isascii() and str(image_id).isdigit() and str(image_id) not in named:
            images.append(f'<img class="wp-image-{image_id}">')
    return "".join(f"<figure>{image}</figure>" for image in images)
