"""The editor's "question on a passage" rich-text feature.

A marked passage is a Draftail entity stored as
`<span data-passage="KEY" data-question="QUESTION">…</span>`; publishing
turns the marks into PassageQuestion rows (receivers.py).
"""

from django.utils.translation import gettext_lazy as _
from draftjs_exporter.dom import DOM
from wagtail import hooks
from wagtail.admin.rich_text.converters.html_to_contentstate import InlineEntityElementHandler
from wagtail.admin.rich_text.editors.draftail import features as draftail_features

from .richtext import KEY_PATTERN, QUESTION_MAX

FEATURE = "passage"
ENTITY_TYPE = "PASSAGE"


class PassageElementHandler(InlineEntityElementHandler):
    """Read a stored marked passage back into the editor."""

    mutability = "MUTABLE"

    def get_attribute_data(self, attrs):
        return {"key": attrs.get("data-passage", ""), "question": attrs.get("data-question", "")}


def passage_entity_decorator(props):
    """Write a marked passage to the database; a mark without a valid key or a question is dropped."""
    key = str(props.get("key") or "")
    question = " ".join(str(props.get("question") or "").split())[:QUESTION_MAX]
    if not KEY_PATTERN.match(key) or not question:
        return props["children"]
    return DOM.create_element("span", {"data-passage": key, "data-question": question}, props["children"])


@hooks.register("register_rich_text_features")
def register_passage_feature(features):
    control = {
        "type": ENTITY_TYPE,
        "label": "؟",
        "description": _("Ask readers about this passage"),
        # Read by passage-editor.js: its prompts, in the editor's language.
        "prompt": _("Question for readers about the selected passage (leave empty to remove it):"),
        "selectFirst": _("Select the passage to ask about first."),
    }
    features.register_editor_plugin(
        "draftail",
        FEATURE,
        draftail_features.EntityFeature(control, js=["passages/passage-editor.js"], css={"all": ["passages/passage-editor.css"]}),
    )
    features.register_converter_rule(
        "contentstate",
        FEATURE,
        {
            "from_database_format": {"span[data-passage]": PassageElementHandler(ENTITY_TYPE)},
            "to_database_format": {"entity_decorators": {ENTITY_TYPE: passage_entity_decorator}},
        },
    )
