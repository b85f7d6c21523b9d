"""Filters of the comments queue in the admin."""

import django_filters
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from minbar.comments.models import Comment, CommentStatus
from minbar.newsroom.models import ArticlePage


def _articles_with_comments(request):
    return ArticlePage.objects.filter(comments__isnull=False).distinct().order_by("title")


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=pgettext_lazy("comment", "Status"), choices=CommentStatus.choices, empty_label=_("All")
    )
    article = django_filters.ModelChoiceFilter(label=_("Article"), queryset=_articles_with_comments)
    created_at = django_filters.DateFromToRangeFilter(label=_("Posted"), widget=DateRangePickerWidget)
    on_passage = django_filters.BooleanFilter(
        label=_("On a passage"), method="filter_on_passage", widget=BooleanRadioSelect
    )

    class Meta:
        model = Comment
        fields = []

    def filter_on_passage(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(quote="") if value else queryset.filter(quote="")
