from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Readers' comments on articles: threads, votes, editing, orders."""

    name = "minbar.comments"
    verbose_name = _("Comments")
