from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from appeals.models import Status


class StatusViewSet(SnippetViewSet):
    model = Status
    icon = "tag"
    menu_label = _("Case statuses")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "is_final"]
    list_filter = ["is_final"]
    search_fields = ["name"]
