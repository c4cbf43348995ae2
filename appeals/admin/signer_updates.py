"""The desk's Updates to signers: an appeal's timeline entries, how many signers asked to
be kept informed and how many were sent each entry, the languages it reaches translated,
and the button that sends it, after a confirmation.

Only for managers who may inform signers (``permissions.may_inform_signers``): everyone
else is refused as Wagtail refuses, on every address here, before any object is looked
up. The pages show numbers and languages, never a signer. The steps are
``appeals.informing``'s; the sending is the task ``send_signer_update``'s.
"""

import uuid
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from wagtail.admin import messages

from appeals import informing
from appeals.admin.desk_menu import DeskViewSet
from appeals.admin.desk_views import AppealDeskView
from appeals.admin.permissions import may_inform_signers
from appeals.models import Appeal, Signature, SignerUpdate, UpdateSent
from appeals.tasks import send_signer_update

NAMESPACE = "appeals_signer_updates"


def url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


@dataclass(frozen=True)
class EntryRow:
    """A timeline entry as the desk lists it: how many were sent it, how many are still
    due, and which of the signers' languages read it translated."""

    entry: object
    sent: int
    due: int
    translated: list
    untranslated: list


def language_names(codes):
    return [get_language_info(code)["name_translated"] for code in codes]


def entry_rows(appeal, entries, languages):
    """The rows of ``entries`` for ``appeal``'s signers, who signed in ``languages``."""
    rows = []
    for entry in entries:
        key = entry.translation_key
        source_language = entry.page.locale.language_code
        others = [language for language in languages if language != source_language]
        translated = [
            language
            for language in others
            if informing.reading_in(appeal, key, language, entry).translated
        ]
        sent = UpdateSent.objects.of_update(key).of_appeal(appeal).delivered()
        rows.append(
            EntryRow(
                entry=entry,
                sent=sent.count(),
                due=informing.due(appeal, key).count(),
                translated=language_names(translated),
                untranslated=language_names(
                    [language for language in others if language not in translated]
                ),
            )
        )
    return rows


class DeskView(AppealDeskView):
    """A page of the updates to signers, for managers who may send them."""

    namespace = NAMESPACE
    template_name = "appeals/admin/signer_updates/appeal.html"
    page_title = gettext_lazy("Updates to signers")
    may_use = staticmethod(may_inform_signers)


class IndexView(DeskView):
    template_name = "appeals/admin/signer_updates/index.html"

    def get(self, request):
        return self.render(appeals=Appeal.objects.with_informed_count().order_by("title"))


class AppealUpdatesView(DeskView):
    """An appeal's timeline entries, each with its figures and its button, and its mailings."""

    def get(self, request, pk):
        appeal = self.find_appeal(pk)
        asked = Signature.objects.filter(appeal=appeal).kept_informed()
        return self.render(
            appeal=appeal,
            asked=asked.count(),
            rows=entry_rows(appeal, informing.entries(appeal), asked.languages()),
            mailings=SignerUpdate.objects.of_appeal(appeal).select_related("prepared_by"),
        )


class SendView(DeskView):
    """GET: what would be sent, and to how many; the POST it sends starts the mailing,
    once however often it is sent."""

    template_name = "appeals/admin/signer_updates/send.html"

    def find_entry(self, pk, key):
        appeal = self.find_appeal(pk)
        entry = informing.source_entry(appeal, key)
        if entry is None:
            raise Http404
        return appeal, entry

    def get(self, request, pk, key):
        appeal, entry = self.find_entry(pk, key)
        due = informing.due(appeal, key).count()
        if not due:
            messages.info(request, nothing_due())
            return redirect(url("appeal", pk))
        return self.render(appeal=appeal, entry=entry, due=due, token=uuid.uuid4())

    def post(self, request, pk, key):
        appeal = self.find_appeal(pk)
        try:
            token = uuid.UUID(request.POST.get("token", ""))
        except ValueError:
            messages.error(request, _("The form is out of date: check it again."))
            return redirect(url("appeal", pk))
        started = informing.start(appeal, key, user=request.user, token=token)
        if started.outcome == "gone":
            messages.error(
                request, _("This entry is no longer on the case's published page: nothing sent.")
            )
        elif started.outcome == "nothing":
            messages.info(request, nothing_due())
        elif started.outcome == "already":
            messages.info(request, _("This update was sent already: nothing is sent twice."))
        elif started.outcome == "resumed":
            send_signer_update.enqueue(started.mailing.pk)
            messages.info(
                request,
                _(
                    "This entry's mailing was still under way: it carries on, and nobody is "
                    "sent the entry twice."
                ),
            )
        else:
            send_signer_update.enqueue(started.mailing.pk)
            messages.success(
                request,
                ngettext(
                    "The update is on its way to %(count)d signer.",
                    "The update is on its way to %(count)d signers.",
                    started.mailing.recipients,
                )
                % {"count": started.mailing.recipients},
            )
        return redirect(url("appeal", pk))


def nothing_due():
    return _("No signer who asked to be kept informed is still due this entry: nothing sent.")


class SignerUpdatesViewSet(DeskViewSet):
    """Updates to signers as an item of the Campaigns menu, with their own addresses."""

    name = NAMESPACE
    url_prefix = "appeals/signer-updates"
    menu_label = gettext_lazy("Updates to signers")
    menu_icon = "mail"
    may_use = staticmethod(may_inform_signers)

    def get_urlpatterns(self):
        return [
            path("", IndexView.as_view(), name="index"),
            path("appeal/<int:pk>/", AppealUpdatesView.as_view(), name="appeal"),
            path("appeal/<int:pk>/send/<uuid:key>/", SendView.as_view(), name="send"),
        ]
