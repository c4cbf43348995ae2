"""The desk's Deliveries: an appeal's deliveries, preparing one (a preview of what goes,
where a manager may leave an abusive message out, then the pack), its files, marking it
delivered or cancelling it, and the authorities' response.

Only for managers who may deliver (``permissions.may_deliver``): everyone else is
refused as Wagtail refuses, on every address here, before any object is looked up.
The steps themselves are ``appeals.delivering``'s.
"""

import uuid
from collections import Counter

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin import messages

from appeals import delivering, redaction
from appeals.admin.delivery_forms import (
    DeliveredForm,
    MakeForm,
    PrepareForm,
    ResponseForm,
    SendForm,
    SendingHoursForm,
)
from appeals.admin.desk_menu import DeskViewSet
from appeals.admin.desk_views import AppealDeskView
from appeals.admin.permissions import may_deliver
from appeals.countries import country_name
from appeals.models import Appeal, Delivery, DeliveryFile, DeliveryState
from appeals.models.deliveries import FileFormat
from appeals.sending_hours import SendingHours

NAMESPACE = "appeals_deliveries"
CONTENT_TYPES = {
    FileFormat.HTML: "text/html; charset=utf-8",
    FileFormat.PDF: "application/pdf",
    FileFormat.CSV: "text/csv; charset=utf-8",
}


def url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


def moment_text(moment):
    """``moment`` as the desk shows it, with its time zone: sending hours are the
    recipient's, and a bare time would read as the manager's own."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def nothing_new():
    return _("No new signature to deliver to this recipient up to this cut-off: nothing made.")


class DeskView(AppealDeskView):
    """A page of the deliveries, for managers who may deliver."""

    namespace = NAMESPACE
    template_name = "appeals/admin/deliveries/appeal.html"
    page_title = gettext_lazy("Deliveries")
    may_use = staticmethod(may_deliver)

    def find_appeal(self, pk):
        appeal = super().find_appeal(pk)
        self.source_page = appeal.get_source_page()
        return appeal


class IndexView(DeskView):
    template_name = "appeals/admin/deliveries/index.html"

    def get(self, request):
        return self.render(appeals=Appeal.objects.order_by("title"))


class AppealDeliveriesView(DeskView):
    """An appeal's deliveries and responses, with the buttons to add either."""

    def get(self, request, pk):
        appeal = self.find_appeal(pk)
        return self.render(
            appeal=appeal,
            deliveries=Delivery.objects.of_appeal(appeal),
            responses=appeal.responses.select_related("delivery"),
            has_recipients=self.source_page is not None
            and bool(self.source_page.body.blocks_by_name("recipient")),
        )


class PrepareView(DeskView):
    """The delivery's choices; posted, a preview of what it would hold."""

    template_name = "appeals/admin/deliveries/prepare.html"
    heading = gettext_lazy("Prepare a delivery")

    def usable(self, pk):
        appeal = self.find_appeal(pk)
        if self.source_page is None or self.source_page.get_appeal_block(appeal) is None:
            messages.error(
                self.request, _("This appeal is no longer on its case: its letter is gone.")
            )
            return None
        if not self.source_page.body.blocks_by_name("recipient"):
            messages.error(self.request, _("This appeal's case names no recipient to deliver to."))
            return None
        return appeal

    def get(self, request, pk):
        appeal = self.usable(pk)
        if appeal is None:
            return redirect(url("appeal", pk))
        return self.render(form=PrepareForm(appeal, self.source_page))

    def post(self, request, pk):
        appeal = self.usable(pk)
        if appeal is None:
            return redirect(url("appeal", pk))
        form = PrepareForm(appeal, self.source_page, request.POST)
        if not form.is_valid():
            return self.render(form=form)
        return self.preview(form)

    def preview(self, form, make_form=None):
        data = form.cleaned_data
        signatures = delivering.new_signatures(self.appeal, data["recipient"], data["cut_off"])
        total = signatures.count()
        if not total:
            messages.info(
                self.request,
                nothing_new(),
            )
            return self.render(form=form)
        with_messages = list(
            signatures.exclude(message="").values_list("pk", "name", "city", "country", "message")
        )
        if make_form is None:
            make_form = MakeForm(
                self.appeal,
                self.source_page,
                initial={**data, "token": uuid.uuid4()},
                messages=[row[0] for row in with_messages],
            )
        countries = Counter(
            dict(signatures.order_by().values_list("country").annotate(number=Count("pk")))
        )
        return self.render(
            "appeals/admin/deliveries/preview.html",
            form=make_form,
            recipient=form.chosen_recipient,
            total=total,
            by_country=[(country_name(code), number) for code, number in countries.most_common()],
            signer_messages=with_messages,
        )


class MakeView(PrepareView):
    """Make the pack previewed: once, however often the form is sent."""

    def get(self, request, pk):
        return redirect(url("prepare", pk))

    def post(self, request, pk):
        appeal = self.usable(pk)
        if appeal is None:
            return redirect(url("appeal", pk))
        choices = PrepareForm(appeal, self.source_page, request.POST)
        if not choices.is_valid():
            return self.render(form=choices)
        data = choices.cleaned_data
        with_messages = delivering.new_signatures(appeal, data["recipient"], data["cut_off"])
        form = MakeForm(
            appeal,
            self.source_page,
            request.POST,
            messages=with_messages.exclude(message="").values_list("pk", flat=True),
        )
        if not form.is_valid():
            token = form.cleaned_data.get("token")
            existing = Delivery.objects.filter(form_token=token).first() if token else None
            if existing is not None:
                return self.made(delivering.Prepared("already", existing))
            messages.error(request, _("The preview is out of date: check it again."))
            return self.preview(choices)
        made = delivering.prepare(
            appeal,
            recipient_key=data["recipient"],
            language=data["language"],
            method=data["method"],
            cut_off=data["cut_off"],
            user=request.user,
            token=form.cleaned_data["token"],
            leave_out=form.cleaned_data["leave_out"],
        )
        return self.made(made)

    def made(self, made):
        if made.outcome == "nothing":
            messages.info(
                self.request,
                nothing_new(),
            )
            return redirect(url("appeal", self.appeal.pk))
        if made.outcome == "race":
            messages.error(
                self.request,
                _(
                    "Another delivery to this recipient was prepared at the same time and "
                    "holds some of these signatures: nothing made. Prepare it again."
                ),
            )
            return redirect(url("appeal", self.appeal.pk))
        if made.outcome == "already":
            messages.info(self.request, _("This pack was made already: here it is."))
        else:
            messages.success(
                self.request,
                ngettext(
                    "The pack of %(count)d signature is made.",
                    "The pack of %(count)d signatures is made.",
                    made.delivery.signature_count,
                )
                % {"count": made.delivery.signature_count},
            )
        return redirect(url("delivery", made.delivery.pk))


class DeliveryMixin:
    def find_delivery(self, pk):
        self.delivery = get_object_or_404(Delivery.objects.select_related("appeal"), pk=pk)
        self.appeal = self.delivery.appeal
        return self.delivery


class DeliveryView(DeliveryMixin, DeskView):
    """A delivery's record, its files, and what can still be done with it."""

    template_name = "appeals/admin/deliveries/delivery.html"

    def get_heading(self):
        delivery = getattr(self, "delivery", None)
        if delivery is None:
            return None
        return _("Delivery %(number)d to %(recipient)s") % {
            "number": delivery.pk,
            "recipient": delivery.recipient_name,
        }

    def get(self, request, pk, delivered_form=None, send_form=None):
        delivery = self.find_delivery(pk)
        files = list(delivery.files.described().order_by("format"))
        rebuilding = delivery.is_being_rebuilt
        return self.render(
            delivery=delivery,
            files=files,
            pdf_pending=bool(files) and all(stored.format != FileFormat.PDF for stored in files),
            rebuilding=rebuilding,
            cancelled_without_files=delivery.state == DeliveryState.CANCELLED and not files,
            cannot_rebuild=rebuilding and redaction.is_stuck(delivery),
            originals=delivery.original_files.order_by("format"),
            delivered_form=delivered_form or DeliveredForm(delivery),
            send_form=send_form or SendForm(),
            email_address=delivering.email_address(delivery) if delivery.by_email else "",
            sending_hours=SendingHours.of(delivery.appeal) if delivery.by_email else None,
            next_attempt=moment_text(delivery.send_after) if delivery.send_after else "",
        )


class FileView(DeliveryMixin, DeskView):
    def get(self, request, pk, file_format):
        delivery = self.find_delivery(pk)
        if file_format not in FileFormat.values:
            raise Http404
        stored = get_object_or_404(DeliveryFile, delivery=delivery, format=file_format)
        response = HttpResponse(stored.data, content_type=CONTENT_TYPES[file_format])
        shown = file_format == FileFormat.HTML and "download" not in request.GET
        disposition = "inline" if shown else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{stored.name}"'
        response["X-Content-Type-Options"] = "nosniff"
        # The print page is the plugin's own HTML with inline styles and no script.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return response


class DeliveredView(DeliveryView):
    def get(self, request, pk):
        return redirect(url("delivery", pk))

    def post(self, request, pk):
        delivery = self.find_delivery(pk)
        form = DeliveredForm(delivery, request.POST)
        if not form.is_valid():
            return super().get(request, pk, delivered_form=form)
        if delivering.mark_delivered(
            delivery, delivered_at=form.cleaned_data["delivered_at"], user=request.user
        ):
            messages.success(request, _("The delivery is recorded as delivered."))
        else:
            messages.info(request, _("This delivery was delivered or cancelled already."))
        return redirect(url("delivery", pk))


class TestEmailView(DeliveryView):
    """Send the manager the delivery's e-mail, marked as a test, before it may go."""

    def get(self, request, pk):
        return redirect(url("delivery", pk))

    def post(self, request, pk):
        delivery = self.find_delivery(pk)
        address = request.user.email
        if not address:
            messages.error(
                request,
                _("Your account has no e-mail address: add one to your account to get the test."),
            )
        elif delivering.request_test(
            delivery, address=address, language=translation.get_language()
        ):
            messages.success(
                request,
                _("The test is on its way to %(address)s: read it, then send the delivery.")
                % {"address": address},
            )
        else:
            messages.info(request, _("This delivery is no longer waiting to be sent."))
        return redirect(url("delivery", pk))


class SendEmailView(DeliveryView):
    """Confirm a delivery by e-mail: it is queued, to leave within the sending hours."""

    def get(self, request, pk):
        return redirect(url("delivery", pk))

    def post(self, request, pk):
        delivery = self.find_delivery(pk)
        form = SendForm(request.POST)
        if not form.is_valid():
            return super().get(request, pk, send_form=form)
        outcome = delivering.queue_email(delivery, user=request.user)
        if outcome == "queued":
            messages.success(
                request,
                _(
                    "The delivery is queued: it leaves within the sending hours, "
                    "at %(time)s at the earliest."
                )
                % {"time": moment_text(delivery.send_after)},
            )
        else:
            messages.error(request, SEND_REFUSALS[outcome]())
        return redirect(url("delivery", pk))


class SendAgainView(DeliveryView):
    """Queue again a delivery whose send was interrupted, which a manager found never left."""

    def get(self, request, pk):
        return redirect(url("delivery", pk))

    def post(self, request, pk):
        delivery = self.find_delivery(pk)
        if delivering.send_again(delivery, user=request.user):
            messages.success(
                request,
                _("The delivery is queued again, to leave at %(time)s at the earliest.")
                % {"time": moment_text(delivery.send_after)},
            )
        else:
            messages.info(request, _("This delivery's send was not interrupted: nothing changed."))
        return redirect(url("delivery", pk))


SEND_REFUSALS = {
    "untested": lambda: _("Send yourself the test first, and read it."),
    "no_address": lambda: _(
        "The case no longer gives this recipient an e-mail address: deliver by post or in person."
    ),
    "already": lambda: _(
        "This delivery was queued, sent or cancelled already: nothing more is sent."
    ),
}


class CancelView(DeliveryMixin, DeskView):
    def get(self, request, pk):
        return redirect(url("delivery", pk))

    def post(self, request, pk):
        delivery = self.find_delivery(pk)
        if delivering.cancel(delivery, user=request.user):
            messages.success(
                request,
                _("The delivery is cancelled: its signatures will go with the next delivery."),
            )
        else:
            messages.info(request, _("This delivery was delivered or cancelled already."))
        return redirect(url("delivery", pk))


class SendingHoursView(DeskView):
    """When the appeal's deliveries by e-mail may leave, and how many an hour."""

    template_name = "appeals/admin/deliveries/sending_hours.html"
    heading = gettext_lazy("Sending hours by e-mail")

    def get(self, request, pk):
        return self.render(form=SendingHoursForm(instance=self.find_appeal(pk)))

    def post(self, request, pk):
        appeal = self.find_appeal(pk)
        form = SendingHoursForm(request.POST, instance=appeal)
        if not form.is_valid():
            return self.render(form=form)
        form.save()
        messages.success(request, _("The sending hours are saved."))
        return redirect(url("appeal", pk))


class ResponseView(DeskView):
    template_name = "appeals/admin/deliveries/response.html"
    heading = gettext_lazy("Record the authorities' response")

    def get(self, request, pk):
        return self.render(form=ResponseForm(self.find_appeal(pk)))

    def post(self, request, pk):
        appeal = self.find_appeal(pk)
        form = ResponseForm(appeal, request.POST)
        if not form.is_valid():
            return self.render(form=form)
        # An editor's unpublished changes are kept under the new entry, not replaced:
        # whoever publishes the case publishes both, so the manager is told.
        had_draft = self.source_page is not None and self.source_page.has_unpublished_changes
        delivering.record_response(appeal, user=request.user, **form.cleaned_data)
        if had_draft:
            messages.warning(
                request,
                _(
                    "The response is recorded, and added to the case's timeline in its draft, "
                    "which holds changes not published yet: publishing the case publishes "
                    "them with it, so ask its editors before."
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "The response is recorded, and added to the case's timeline as a draft: "
                    "publish the case to show it, then its translations."
                ),
            )
        return redirect(url("appeal", pk))


class DeliveriesViewSet(DeskViewSet):
    """Deliveries as an item of the Campaigns menu, with their own addresses."""

    name = NAMESPACE
    url_prefix = "appeals/deliveries"
    menu_label = gettext_lazy("Deliveries")
    menu_icon = "mail"
    may_use = staticmethod(may_deliver)

    def get_urlpatterns(self):
        return [
            path("", IndexView.as_view(), name="index"),
            path("appeal/<int:pk>/", AppealDeliveriesView.as_view(), name="appeal"),
            path("appeal/<int:pk>/prepare/", PrepareView.as_view(), name="prepare"),
            path("appeal/<int:pk>/make/", MakeView.as_view(), name="make"),
            path("appeal/<int:pk>/response/", ResponseView.as_view(), name="response"),
            path(
                "appeal/<int:pk>/sending-hours/", SendingHoursView.as_view(), name="sending_hours"
            ),
            path("<int:pk>/", DeliveryView.as_view(), name="delivery"),
            path("<int:pk>/file/<str:file_format>/", FileView.as_view(), name="file"),
            path("<int:pk>/delivered/", DeliveredView.as_view(), name="delivered"),
            path("<int:pk>/cancel/", CancelView.as_view(), name="cancel"),
            path("<int:pk>/test/", TestEmailView.as_view(), name="test"),
            path("<int:pk>/send/", SendEmailView.as_view(), name="send"),
            path("<int:pk>/send-again/", SendAgainView.as_view(), name="send_again"),
        ]
