"""Spelling variants in the admin menu, for editors to teach search their site's spellings."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SpellingVariant


class SpellingVariantViewSet(SnippetViewSet):
    model = SpellingVariant
    icon = "search"
    menu_label = _("Spelling variants")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["variant", "canonical"]
    # A short table: the admin searches it with the ORM, no search index needed.
    search_fields = ["variant", "canonical"]
    search_backend_name = None


register_snippet(SpellingVariantViewSet)
