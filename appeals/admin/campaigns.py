"""The campaign desk's menu: "Campaigns", grouping what the desk offers.

Each item shows itself only to the users allowed to open it; Wagtail hides the
menu when none of its items is shown.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from appeals.admin.appeal_reports import AppealViewSet
from appeals.admin.deliveries import DeliveriesViewSet
from appeals.admin.signatures import SignatureViewSet
from appeals.admin.signer_updates import SignerUpdatesViewSet
from appeals.admin.signers_rights import SignersRightsViewSet


class CampaignsViewSetGroup(ViewSetGroup):
    # Translators: the admin menu of the campaign desk (appeals, signatures).
    menu_label = _("Campaigns")
    menu_icon = "mail"
    menu_order = 250
    items = (
        AppealViewSet, SignatureViewSet, DeliveriesViewSet, SignerUpdatesViewSet,
        SignersRightsViewSet,
    )  # fmt: skip
