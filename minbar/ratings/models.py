from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LOWEST_SCORE = 1
HIGHEST_SCORE = 5


class Rating(models.Model):
    """One reader's star rating of one article; the reader may change it, never add a second."""

    article = models.ForeignKey(
        "newsroom.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="ratings"
    )
    reader_key = models.CharField(_("reader key"), max_length=40)
    ip_hash = models.CharField(_("network hash"), max_length=40, blank=True)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(LOWEST_SCORE), MaxValueValidator(HIGHEST_SCORE)]
    )
    created_at = models.DateTimeField(_("rated"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["article", "reader_key"], name="one_rating_per_reader"),
            models.CheckConstraint(
                condition=Q(score__gte=LOWEST_SCORE, score__lte=HIGHEST_SCORE), name="rating_score_one_to_five"
            ),
        ]
        # The cookie-clearing rule counts an article's recent new ratings from one network.
        indexes = [models.Index(fields=["article", "ip_hash", "created_at"], name="rating_network_recent")]

    def __str__(self):
        return f"{self.article_id}: {self.score}"


class RatingSummary(models.Model):
    """An article's number of ratings and their sum, kept exact in the transaction that changes a rating."""

    article = models.OneToOneField(
        "newsroom.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rating_summary",
    )
    count = models.PositiveIntegerField(_("ratings"), default=0)
    total = models.PositiveIntegerField(_("sum of scores"), default=0)

    class Meta:
        verbose_name = _("rating summary")
        verbose_name_plural = _("rating summaries")

    def __str__(self):
        return f"{self.article_id}: {self.average} ({self.count})"

    @property
    def average(self):
        """The mean score to one decimal (Decimal, half up as people round), or None without ratings."""
        if not self.count:
            return None
        return (Decimal(self.total) / Decimal(self.count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
