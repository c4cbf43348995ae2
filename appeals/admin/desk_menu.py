"""An item of the Campaigns menu with its own addresses (Deliveries, Updates to signers,
Signers' rights): its views under ``url_prefix``, its index the menu's link, and the item
shown only to the users its ``may_use`` admits, as each of its views refuses the others."""

from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet


class DeskMenuItem(MenuItem):
    def __init__(self, *args, may_use, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_use = may_use

    def is_shown(self, request):
        return self.may_use(request.user)


class DeskViewSet(ViewSet):
    """Subclasses give ``name``, ``url_prefix``, ``menu_label``, ``menu_icon``, ``may_use``
    (a function of the user, as a staticmethod) and ``get_urlpatterns``, one of them
    named "index"."""

    @staticmethod
    def may_use(user):
        return False

    @property
    def menu_url(self):
        return reverse(f"{self.name}:index")

    def get_menu_item(self, order=None):
        return DeskMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            may_use=self.may_use,
        )
