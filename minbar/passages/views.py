"""Reader pages of passage feedback."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from .services import answer_page_context
from .models import PassageQuestion


def answer(request, question_id):
    """A question on a passage with its answers and the comment form set to answer it (the no-script way)."""
    question = get_object_or_404(PassageQuestion.objects.select_related("article"), pk=question_id, is_open=True)
    if not question.article.live:
        raise Http404(f"Article {question.article_id} of question {question_id} is not published")
    return TemplateResponse(request, template="passages/answer_page.html", context=answer_page_context(question))
