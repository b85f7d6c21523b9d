"""The rating form's one URL: a plain form post without JavaScript, JSON with it."""

from django.http import HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minbar.readers.guard import same_origin_post
from minbar.readers.identity import reader_for, remember

from . import services
from .display import rating_display

# Fields read from the form, and those answered to the script.
ACCEPTED_FIELDS = ("score",)
ANSWERED_FIELDS = ("ok", "message", "score", "count", "average", "html", "errors")


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@same_origin_post
@require_POST
def rate_article(request, article_id):
    score_text = request.POST.get("score", "")
    article = None
    try:
        article = services.rateable_article(article_id)
        score = services.parse_score(score_text)
        reader = reader_for(request, create=True)
        outcome = services.rate(article, reader, score)
    except services.RatingRefused as refused:
        return _refused(request, refused, article, score_text)

    if outcome.is_change:
        message = _("Your rating is changed. Thank you.")
    else:
        message = _("Thank you: your rating is counted.")
    if _wants_json(request):
        display = rating_display(request, article)
        response = JsonResponse(
            {
                "ok": True,
                "message": message,
                "score": outcome.score,
                "count": outcome.summary.count,
                "average": float(outcome.summary.average),
                "html": render_to_string("ratings/summary.html", {"rating": display}, request=request),
            }
        )
    else:
        # A new address (the ?rated= variant) so that the browser cannot show
        # its own copy of the page from before the rating.
        response = HttpResponseRedirect(f"{article.get_url(request=request)}?rated={outcome.score}#rating", status=303)
    add_never_cache_headers(response)
    return remember(response, reader, request)


def _refused(request, refused, article, score_text):
    if _wants_json(request):
        response = JsonResponse(
            {"ok": False, "message": refused.message, "errors": {"score": [refused.message]}}, status=refused.status
        )
    else:
        context = {
            "article": article,
            "rating_message": refused.message,
            "rating_chosen": score_text if score_text in services.SCORE_CHOICES else "",
            "rating": rating_display(request, article) if article else None,
        }
        response = TemplateResponse(request, template="ratings/refused.html", context=context, status=refused.status)
    add_never_cache_headers(response)
    return response
