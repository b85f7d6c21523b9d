"""What the rating box shows: numbers written as the site writes them, and the stars' fill."""

from dataclasses import dataclass

from minbar.arabic import to_arabic_indic
from minbar.core.templatetags.minbar import _uses_arabic_indic

from .models import HIGHEST_SCORE
from .services import SCORE_CHOICES, summary_for

ARABIC_DECIMAL_SEPARATOR = "\u066b"  # ٫


@dataclass(frozen=True)
class RatingDisplay:
    article_id: int
    count: int
    average: object  # Decimal to one place, or None before the first rating
    average_text: str
    fill_percent: int
    choices: tuple  # ((score, score as the site writes it), …)
    rated: int | None  # the score a reader just sent without JavaScript (from ?rated=)


def _written(request, text):
    if _uses_arabic_indic({"request": request}):
        return to_arabic_indic(text).replace(".", ARABIC_DECIMAL_SEPARATOR)
    return text


def rating_display(request, article):
    summary = summary_for(article)
    average = summary.average
    rated = request.GET.get("rated", "") if request.method == "GET" else ""
    return RatingDisplay(
        article_id=article.pk,
        count=summary.count,
        average=average,
        average_text=_written(request, f"{average:.1f}") if average is not None else "",
        fill_percent=round(average * 100 / HIGHEST_SCORE) if average is not None else 0,
        choices=tuple((int(score), _written(request, score)) for score in SCORE_CHOICES),
        rated=int(rated) if rated in SCORE_CHOICES else None,
    )
