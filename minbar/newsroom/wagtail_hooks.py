"""Authors and series in the admin menu, searchable and listed usefully."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author, Series


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]


class SeriesViewSet(SnippetViewSet):
    model = Series
    icon = "list-ol"
    menu_label = _("Series")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "is_complete", "slug"]
    list_filter = ["is_complete"]
    search_fields = ["title"]


register_snippet(AuthorViewSet)
register_snippet(SeriesViewSet)
