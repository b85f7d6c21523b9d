"""The editor's "question on a passage" feature: in the article editor, stored as a span, read back unchanged."""

import json

import pytest
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from minbar.newsroom.models import RICH_TEXT_FEATURES

from .conftest import bridge_body

STORED = (
    '<p data-block-key="a1">قال <span data-passage="qab12" data-question="ما رأيكم &quot;هنا&quot;؟">'
    "الوزير <b>إن</b> الحكومة</span> ستعمل.</p>"
)


def converter():
    return ContentstateConverter(RICH_TEXT_FEATURES)


def test_a_marked_passage_opens_in_the_editor_as_a_passage_entity():
    state = json.loads(converter().from_database_format(STORED))
    [entity] = state["entityMap"].values()
    assert entity["type"] == "PASSAGE"
    assert entity["data"] == {"key": "qab12", "question": 'ما رأيكم "هنا"؟'}
    [entity_range] = state["blocks"][0]["entityRanges"]
    text = state["blocks"][0]["text"]
    assert text[entity_range["offset"] : entity_range["offset"] + entity_range["length"]] == "الوزير إن الحكومة"


def test_a_marked_passage_is_saved_back_unchanged():
    assert converter().to_database_format(converter().from_database_format(STORED)) == STORED


def test_a_mark_with_a_made_up_key_or_no_question_is_saved_as_plain_text():
    def saved(data):
        state = {
            "blocks": [
                {"key": "b1", "type": "unstyled", "depth": 0, "text": "نص المقطع", "inlineStyleRanges": [],
                 "entityRanges": [{"key": 0, "offset": 0, "length": 9}]}
            ],
            "entityMap": {"0": {"type": "PASSAGE", "mutability": "MUTABLE", "data": data}},
        }
        return converter().to_database_format(json.dumps(state))

    assert saved({"key": "k1", "question": "  سؤال   واضح؟ "}) == (
        '<p data-block-key="b1"><span data-passage="k1" data-question="سؤال واضح؟">نص المقطع</span></p>'
    )
    assert saved({"key": '"><script>', "question": "سؤال؟"}) == '<p data-block-key="b1">نص المقطع</p>'
    assert saved({"key": "k1", "question": "   "}) == '<p data-block-key="b1">نص المقطع</p>'


@pytest.mark.django_db
def test_the_article_editor_offers_the_feature_with_its_local_script(admin_client, bridge_article):
    response = admin_client.get(f"/admin/pages/{bridge_article.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "passages/passage-editor.js" in html
    assert "passages/passage-editor.css" in html
    assert "PASSAGE" in html
    # The passage and its question reach the editor.
    assert "q1a2b3" in html
