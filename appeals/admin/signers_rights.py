"""The signers' rights at the campaign desk: what is stored about an address, its erasure,
and the retention purge, run now. The policy is ``appeals.privacy``'s, shared with the
management commands and the nightly task; these views add the forms, a confirmation
before anything is erased, and who may do what:

- what is stored about an address: ``appeals.view_signature`` (it shows everything);
- erase an address, run the purge: ``appeals.erase_signer``.

The address is posted, never put in a URL, a message or the audit log.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from appeals import privacy
from appeals.addresses import delivery_address
from appeals.admin.desk_menu import DeskViewSet
from appeals.admin.permissions import may_erase, may_see_signers
from appeals.conf import appeals_conf
from appeals.models import Signature

NAMESPACE = "appeals_signers_rights"


class AddressForm(forms.Form):
    email = forms.CharField(
        label=gettext_lazy("E-mail address"),
        max_length=320,
        help_text=gettext_lazy(
            "The signer's address: capitals and other spellings of the same mailbox count "
            "as the same address, as they do when signing."
        ),
    )

    def clean_email(self):
        # The signing form's own checks and messages: a typo is told, not searched for.
        return delivery_address(self.cleaned_data["email"])


def may_use_the_desk(user):
    return may_see_signers(user) or may_erase(user)


def url(name):
    return reverse(f"{NAMESPACE}:{name}")


class RightsView(WagtailAdminTemplateMixin, View):
    """A page of the signers' rights, refused as Wagtail refuses, to those without ``allowed``."""

    header_icon = "user"
    template_name = "appeals/admin/signers_rights/index.html"
    allowed = staticmethod(may_use_the_desk)
    subtitle = None

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Signers' rights")

    def get_page_subtitle(self):
        return str(self.subtitle) if self.subtitle else ""

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": url("index"), "label": _("Signers' rights")}]
        if self.subtitle:
            items.append({"url": "", "label": self.get_page_subtitle()})
        return items

    def render(self, template_name=None, **context):
        response = self.response_class(
            request=self.request,
            template=[template_name or self.template_name],
            context=self.get_context_data(**context),
        )
        add_never_cache_headers(response)  # it may tell which appeals an address signed
        return response

    def index(self, export_form=None, erase_form=None):
        """The desk's page of signers' rights, showing a posted form again with its errors."""
        user = self.request.user
        return self.render(
            "appeals/admin/signers_rights/index.html",
            export_form=(export_form or AddressForm(prefix="export"))
            if may_see_signers(user)
            else None,
            erase_form=(erase_form or AddressForm(prefix="erase")) if may_erase(user) else None,
            may_purge=may_erase(user),
            retention_days=appeals_conf.RETENTION_DAYS,
        )


class IndexView(RightsView):
    def get(self, request):
        return self.index()


class ExportPersonView(RightsView):
    """Everything stored about an address, downloaded as the command prints it."""

    allowed = staticmethod(may_see_signers)

    def get(self, request):
        return redirect(url("index"))

    def post(self, request):
        form = AddressForm(request.POST, prefix="export")
        if not form.is_valid():
            return self.index(export_form=form)
        address = form.cleaned_data["email"]
        if not privacy.erasable(address).total:
            messages.info(request, _("Nothing is stored about this address."))
            return self.index(export_form=form)
        text, _affected = privacy.export_person(address, user=request.user)
        response = HttpResponse(text.encode(), content_type="application/json; charset=utf-8")
        filename = f"signer-{timezone.now():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        add_never_cache_headers(response)
        return response


class EraseView(RightsView):
    """Erase an address's signatures: a first post shows what would go, a second erases it."""

    allowed = staticmethod(may_erase)
    template_name = "appeals/admin/signers_rights/confirm_erase.html"
    subtitle = gettext_lazy("Erase a signer")

    def get(self, request):
        return redirect(url("index"))

    def post(self, request):
        form = AddressForm(request.POST, prefix="erase")
        if not form.is_valid():
            return self.index(erase_form=form)
        address = form.cleaned_data["email"]
        if request.POST.get("confirm") != "yes":
            return self.confirmation(form, address)
        erased = privacy.erase(address, user=request.user)
        messages.success(request, erased_message(erased))
        return redirect(url("index"))

    def confirmation(self, form, address):
        found = privacy.erasable(address)
        if not found.total:
            messages.info(
                self.request, _("No signature of this address is stored: nothing to erase.")
            )
            return self.index(erase_form=form)
        return self.render(
            form=form,
            found=found,
            pending=Signature.objects.of_address(address).pending().count(),
            # Which appeals an address signed is for those who may see signers.
            appeals=by_title(found) if may_see_signers(self.request.user) else None,
        )


def by_title(affected):
    return sorted(affected.by_appeal.items(), key=lambda item: item[0].title)


def erased_message(erased):
    return ngettext(
        "Erased %(count)d signature of this address.",
        "Erased %(count)d signatures of this address.",
        erased.total,
    ) % {"count": erased.total}


class PurgeView(RightsView):
    """The nightly purge, run now: what it would anonymise, then a button."""

    allowed = staticmethod(may_erase)
    template_name = "appeals/admin/signers_rights/confirm_purge.html"
    subtitle = gettext_lazy("Anonymise closed appeals")

    def get(self, request):
        due = privacy.anonymisable()
        return self.render(
            due=due, appeals=by_title(due), retention_days=appeals_conf.RETENTION_DAYS
        )

    def post(self, request):
        if appeals_conf.RETENTION_DAYS is None:
            messages.info(
                request, _("Signatures are kept until they are erased: no retention period is set.")
            )
            return redirect(url("index"))
        anonymised = privacy.purge(user=request.user).anonymised
        messages.success(
            request,
            ngettext(
                "Anonymised %(count)d signature of appeals past their retention period.",
                "Anonymised %(count)d signatures of appeals past their retention period.",
                anonymised.total,
            )
            % {"count": anonymised.total},
        )
        return redirect(url("index"))


class SignersRightsViewSet(DeskViewSet):
    """The signers' rights as an item of the Campaigns menu, with its own addresses."""

    name = NAMESPACE
    url_prefix = "appeals/signers"
    menu_label = gettext_lazy("Signers' rights")
    menu_icon = "user"
    may_use = staticmethod(may_use_the_desk)

    def get_urlpatterns(self):
        return [
            path("", IndexView.as_view(), name="index"),
            path("export/", ExportPersonView.as_view(), name="export"),
            path("erase/", EraseView.as_view(), name="erase"),
            path("purge/", PurgeView.as_view(), name="purge"),
        ]
