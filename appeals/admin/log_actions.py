"""The campaign desk's actions in Wagtail's audit log (``register_log_actions``).

Entries name what was done, by whom and to how many signatures; never a signer's
name or address, which the log would otherwise keep after the signer is erased.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from wagtail.log_actions import LogFormatter

EXPORT = "appeals.export_signatures"
ERASE = "appeals.erase_signer"
EXPORT_PERSON = "appeals.export_person"
PURGE = "appeals.purge_signatures"
WITHDRAW = "appeals.withdraw_signature"
PREPARE_DELIVERY = "appeals.prepare_delivery"
DELIVER = "appeals.deliver_signatures"
CANCEL_DELIVERY = "appeals.cancel_delivery"
RESPONSE = "appeals.authorities_response"
SEND_DELIVERY = "appeals.send_delivery"
FAIL_DELIVERY = "appeals.delivery_failed"
INFORM_SIGNERS = "appeals.inform_signers"
SIGNERS_INFORMED = "appeals.signers_informed"


def count(log_entry, key):
    try:
        return int(log_entry.data.get(key, 0))
    except (TypeError, ValueError):
        return 0


class CountFormatter(LogFormatter):
    """A message saying how many signatures an action touched (``data["signatures"]``),
    and in which delivery, where it names one (``data["delivery"]``)."""

    def format_message(self, log_entry):
        return self.message % {
            "signatures": count(log_entry, "signatures"),
            "delivery": count(log_entry, "delivery"),
        }


class ExportFormatter(LogFormatter):
    label = _("Export signatures")

    def format_message(self, log_entry):
        rows = count(log_entry, "rows")
        message = ngettext(
            "Exported %(rows)d signature as %(format)s",
            "Exported %(rows)d signatures as %(format)s",
            rows,
        ) % {"rows": rows, "format": str(log_entry.data.get("format", "")).upper()}
        if log_entry.data.get("filters"):
            message += " (" + str(log_entry.data["filters"]) + ")"
        return message


class EraseFormatter(CountFormatter):
    label = _("Erase a signer")
    message = ngettext_lazy(
        "Erased a signer's %(signatures)d signature",
        "Erased a signer's %(signatures)d signatures",
        "signatures",
    )


class ExportPersonFormatter(CountFormatter):
    label = _("Export a signer's data")
    message = ngettext_lazy(
        "Exported what is stored about a signer (%(signatures)d signature)",
        "Exported what is stored about a signer (%(signatures)d signatures)",
        "signatures",
    )


class PurgeFormatter(CountFormatter):
    label = _("Anonymise closed appeals' signatures")
    message = ngettext_lazy(
        "Anonymised %(signatures)d signature of a closed appeal",
        "Anonymised %(signatures)d signatures of a closed appeal",
        "signatures",
    )


class WithdrawFormatter(LogFormatter):
    label = _("Withdraw a signature")
    message = _("A signer withdrew their signature")


class PrepareDeliveryFormatter(CountFormatter):
    label = _("Prepare a delivery")
    message = ngettext_lazy(
        "Prepared delivery %(delivery)d of %(signatures)d signature",
        "Prepared delivery %(delivery)d of %(signatures)d signatures",
        "signatures",
    )


class DeliverFormatter(CountFormatter):
    label = _("Deliver signatures")
    message = ngettext_lazy(
        "Recorded delivery %(delivery)d of %(signatures)d signature as delivered",
        "Recorded delivery %(delivery)d of %(signatures)d signatures as delivered",
        "signatures",
    )


class CancelDeliveryFormatter(LogFormatter):
    label = _("Cancel a delivery")

    def format_message(self, log_entry):
        return _("Cancelled delivery %(delivery)d") % {"delivery": count(log_entry, "delivery")}


class SendDeliveryFormatter(CountFormatter):
    label = _("Send a delivery by e-mail")
    message = ngettext_lazy(
        "Confirmed delivery %(delivery)d of %(signatures)d signature, to send by e-mail",
        "Confirmed delivery %(delivery)d of %(signatures)d signatures, to send by e-mail",
        "signatures",
    )


class FailDeliveryFormatter(CountFormatter):
    label = _("A delivery by e-mail failed")
    message = ngettext_lazy(
        "Delivery %(delivery)d of %(signatures)d signature could not be sent: its "
        "signatures go with the next delivery",
        "Delivery %(delivery)d of %(signatures)d signatures could not be sent: its "
        "signatures go with the next delivery",
        "signatures",
    )


class ResponseFormatter(LogFormatter):
    label = _("Record the authorities' response")
    message = _("Recorded the authorities' response")


class InformSignersFormatter(CountFormatter):
    label = _("Send an update to signers")
    message = ngettext_lazy(
        "Queued a timeline entry for %(signatures)d signer who asked to be kept informed",
        "Queued a timeline entry for %(signatures)d signers who asked to be kept informed",
        "signatures",
    )


class SignersInformedFormatter(CountFormatter):
    label = _("Update sent to signers")
    message = ngettext_lazy(
        "A timeline entry was e-mailed to %(signatures)d signer",
        "A timeline entry was e-mailed to %(signatures)d signers",
        "signatures",
    )


FORMATTERS = {
    EXPORT: ExportFormatter,
    ERASE: EraseFormatter,
    EXPORT_PERSON: ExportPersonFormatter,
    PURGE: PurgeFormatter,
    WITHDRAW: WithdrawFormatter,
    PREPARE_DELIVERY: PrepareDeliveryFormatter,
    DELIVER: DeliverFormatter,
    CANCEL_DELIVERY: CancelDeliveryFormatter,
    RESPONSE: ResponseFormatter,
    SEND_DELIVERY: SendDeliveryFormatter,
    FAIL_DELIVERY: FailDeliveryFormatter,
    INFORM_SIGNERS: InformSignersFormatter,
    SIGNERS_INFORMED: SignersInformedFormatter,
}


def register(actions):
    for action, formatter in FORMATTERS.items():
        actions.register_action(action)(formatter)
