"""A read-only list of old addresses in the admin: where does this old link go now?

Rows are written by the importer only; an editor who wants an old address
to go somewhere else adds a Wagtail redirect, which wins over these.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import LegacyAddress


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Looking is the only action: adding, editing or deleting a row by hand would fight the importer."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(LegacyAddress, ViewOnlyPolicy(LegacyAddress))


class LegacyAddressViewSet(ModelViewSet):
    model = LegacyAddress
    icon = "redirect"
    menu_label = _("Old addresses")
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["key", "page", "target_url", "created"]
    list_filter = ["source"]
    search_fields = ["key", "target_url"]
    # Never shown (no one may add or edit), but a ModelViewSet must name its form fields.
    form_fields = ["key", "page", "target_url"]
    # Searched in the database: the table is not in the site's search index.
    search_backend_name = None


@hooks.register("register_admin_viewset")
def register_old_addresses():
    return LegacyAddressViewSet("old_addresses")
