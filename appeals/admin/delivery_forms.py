"""The desk's forms for deliveries: prepare one, mark it delivered, record a response."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from appeals.delivery import recipients
from appeals.models import Appeal, Delivery, DeliveryMethod, DeliveryState
from appeals.sending_hours import time_zone_names


def methods_for(recipient):
    """The methods ``recipient`` can be delivered to: print always, fax and e-mail only
    to a number or an address the case gives."""
    methods = [DeliveryMethod.POST, DeliveryMethod.IN_PERSON]
    if recipient.value["fax"]:
        methods.append(DeliveryMethod.FAX)
    if recipient.value["email"]:
        methods.append(DeliveryMethod.EMAIL)
    return methods


def not_in_the_future(moment, message):
    # A minute's grace: the form's own default is "now" when it was shown.
    if moment > timezone.now() + timedelta(minutes=1):
        raise forms.ValidationError(message)
    return moment


class PrepareForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Recipient"))
    language = forms.ChoiceField(
        label=_("Language of the letter"),
        help_text=_(
            "The case's translation in this language gives the letter; where there is none, "
            "the letter is in the language it was written in, and the pack says so."
        ),
    )
    method = forms.ChoiceField(label=_("Method"), widget=forms.RadioSelect)
    cut_off = forms.DateTimeField(
        label=_("Cut-off"),
        widget=AdminDateTimeInput,
        help_text=_("Signatures confirmed up to this moment, and not delivered before, go."),
    )

    def __init__(self, appeal, source_page, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients = recipients(source_page)
        self.fields["recipient"].choices = [(found.key, found.name) for found in self.recipients]
        self.fields["language"].choices = settings.WAGTAIL_CONTENT_LANGUAGES
        self.fields["language"].initial = appeal.delivery_language
        self.fields["cut_off"].initial = timezone.now().replace(second=0, microsecond=0)
        # One recipient: only the methods it can be reached by. Several: every method,
        # and ``clean`` refuses the ones the chosen recipient lacks.
        offered = set()
        for recipient in self.recipients:
            offered.update(methods_for(recipient))
        if len(self.recipients) == 1:
            self.fields["recipient"].initial = self.recipients[0].key
        self.fields["method"].choices = [
            choice for choice in DeliveryMethod.choices if choice[0] in offered
        ]
        self.fields["method"].initial = DeliveryMethod.POST

    @property
    def chosen_recipient(self):
        key = self.cleaned_data.get("recipient")
        return next((found for found in self.recipients if found.key == key), None)

    def clean_cut_off(self):
        return not_in_the_future(
            self.cleaned_data["cut_off"],
            gettext("The cut-off cannot be in the future: signatures not confirmed yet cannot go."),
        )

    def clean(self):
        cleaned = super().clean()
        recipient, method = self.chosen_recipient, cleaned.get("method")
        if recipient is not None and method and method not in methods_for(recipient):
            self.add_error(
                "method",
                gettext(
                    "The case gives no e-mail address or fax number for this recipient: "
                    "deliver by post or in person."
                )
                if method in (DeliveryMethod.EMAIL, DeliveryMethod.FAX)
                else gettext("Choose a method."),
            )
        return cleaned


class MakeForm(PrepareForm):
    """The preview's form: the choices again (hidden), its token, the messages left out."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    leave_out = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, appeal, source_page, *args, messages=(), **kwargs):
        super().__init__(appeal, source_page, *args, **kwargs)
        self.fields["leave_out"].choices = [(pk, pk) for pk in messages]
        for name in ("recipient", "language", "method", "cut_off"):
            self.fields[name].widget = forms.HiddenInput()


class DeliveredForm(forms.Form):
    delivered_at = forms.DateTimeField(label=_("Delivered at"), widget=AdminDateTimeInput)

    def __init__(self, delivery: Delivery, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivery = delivery
        self.fields["delivered_at"].initial = timezone.now().replace(second=0, microsecond=0)

    def clean_delivered_at(self):
        moment = not_in_the_future(
            self.cleaned_data["delivered_at"], gettext("A delivery cannot be dated in the future.")
        )
        if moment.date() < timezone.localdate(self.delivery.prepared_at):
            raise forms.ValidationError(
                gettext("A delivery cannot be dated before its pack was prepared.")
            )
        return moment


class ResponseForm(forms.Form):
    date = forms.DateField(label=_("Date of the response"), widget=AdminDateInput)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the authorities answered, as the case's timeline will show it, in the "
            "language the case is written in."
        ),
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    delivery = forms.ModelChoiceField(
        label=_("In answer to"), queryset=Delivery.objects.none(), required=False
    )

    def __init__(self, appeal, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery"].queryset = Delivery.objects.filter(
            appeal=appeal, state=DeliveryState.DELIVERED
        )
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(gettext("A response cannot be dated in the future."))
        return date


class SendForm(forms.Form):
    """The last step of a delivery by e-mail: nothing leaves before a manager ticks this."""

    confirmed = forms.BooleanField(
        label=_("I have read the test e-mail: send this letter and its attachments."),
        error_messages={"required": _("Tick the box to confirm, after reading the test.")},
    )


class SendingHoursForm(forms.ModelForm):
    """When an appeal's deliveries by e-mail may leave, and how many an hour."""

    email_time_zone = forms.ChoiceField(label=_("Recipient's time zone"), required=False)

    class Meta:
        model = Appeal
        fields = [
            "email_hours_start",
            "email_hours_end",
            "email_weekdays_only",
            "email_time_zone",
            "emails_per_hour",
        ]
        widgets = {
            "email_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "email_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site_zone = settings.TIME_ZONE
        self.fields["email_time_zone"].choices = [
            ("", gettext("The site's own (%(zone)s)") % {"zone": site_zone}),
            *((name, name) for name in time_zone_names()),
        ]
        self.fields["emails_per_hour"].widget.attrs.update(min=1, max=60)

    def clean_emails_per_hour(self):
        number = self.cleaned_data["emails_per_hour"]
        if number > 60:
            raise forms.ValidationError(gettext("At most 60 an hour."))
        return number

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("email_hours_start"), cleaned.get("email_hours_end")
        if start and end and start >= end:
            self.add_error(
                "email_hours_end", gettext("The sending hours must end after they start.")
            )
        return cleaned
