"""The StreamField blocks a case page is built from.

Prose blocks are offered to translators segment by segment by
wagtail-localize; dates, numbers, e-mail addresses and ``VerbatimCharBlock``
values (phone numbers, postcodes) are never offered and follow the source.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from appeals import counters
from appeals.forms import SignatureForm
from appeals.letter import compose_letter, mailto_link, recipient_letter

RICH_TEXT_INLINE = ["bold", "italic", "link"]
RICH_TEXT_FULL = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]

# How many of the latest public signers an appeal block lists.
RECENT_SIGNERS_SHOWN = 10

phone_number_validator = RegexValidator(
    r"^\+?[0-9(][0-9 ()./-]{3,30}$",
    _("Enter a phone number of digits, spaces and + ( ) - . / only, for example +7 495 644 2203."),
)


class VerbatimCharBlock(blocks.CharBlock):
    """A text that translators never see: phone numbers, postcodes, references.

    wagtail-localize asks a block for its segments before anything else; an
    empty list keeps the value out of the translation editor, and returning
    the value unchanged makes every translation follow the source on sync.
    """

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


def content_language_choices():
    return [("", _("The language of the source page")), *settings.WAGTAIL_CONTENT_LANGUAGES]


class IncidentBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"), help_text=_("When it happened."))
    place = blocks.CharBlock(
        label=_("Place"), required=False, max_length=255, help_text=_("Town or city, region.")
    )
    narrative = blocks.RichTextBlock(label=_("What happened"), features=RICH_TEXT_INLINE)

    class Meta:
        icon = "warning"
        label = _("Incident")
        template = "appeals/blocks/incident.html"


class DemandsBlock(blocks.StructBlock):
    introduction = blocks.CharBlock(
        label=_("Introduction"),
        max_length=255,
        help_text=_("For example: I urge the authorities in Russia to:"),
    )
    # A list directly inside the struct: wagtail-localize extracts shallow
    # lists reliably, one segment per demand.
    demands = blocks.ListBlock(blocks.TextBlock(label=_("Demand")), min_num=1, label=_("Demands"))

    class Meta:
        icon = "list-ol"
        label = _("Demands")
        template = "appeals/blocks/demands.html"


class RecipientValue(blocks.StructValue):
    """The computed parts of a recipient that templates and the letter need."""

    @property
    def addressee(self):
        return " ".join(part for part in (self["title"], self["name"]) if part)

    @property
    def locality(self):
        return " ".join(part for part in (self["postcode"], self["city"]) if part)

    @property
    def postal_lines(self):
        lines = [self.addressee, self["position"], self["organisation"], *self["address_lines"]]
        lines += [self.locality, self["country"]]
        return [line for line in lines if line]


class RecipientBlock(blocks.StructBlock):
    salutation = blocks.CharBlock(
        label=_("Salutation"),
        required=False,
        max_length=100,
        help_text=_("How the letter greets this recipient, for example: Your Excellency,"),
    )
    title = blocks.CharBlock(
        label=_("Title"), required=False, max_length=100, help_text=_("For example: Minister")
    )
    name = blocks.CharBlock(label=_("Name"), max_length=255)
    position = blocks.CharBlock(label=_("Position"), required=False, max_length=255)
    organisation = blocks.CharBlock(label=_("Organisation"), required=False, max_length=255)
    address_lines = blocks.ListBlock(
        blocks.CharBlock(label=_("Address line"), max_length=255),
        label=_("Street address"),
        default=[],
    )
    postcode = VerbatimCharBlock(label=_("Postcode"), required=False, max_length=20)
    city = blocks.CharBlock(label=_("City"), required=False, max_length=100)
    country = blocks.CharBlock(label=_("Country"), required=False, max_length=100)
    phone = VerbatimCharBlock(
        label=_("Phone"), required=False, max_length=40, validators=[phone_number_validator]
    )
    fax = VerbatimCharBlock(
        label=_("Fax"), required=False, max_length=40, validators=[phone_number_validator]
    )
    email = blocks.EmailBlock(label=_("E-mail"), required=False)

    class Meta:
        icon = "mail"
        label = _("Recipient")
        template = "appeals/blocks/recipient.html"
        value_class = RecipientValue


def takes_signatures(page) -> bool:
    """Whether an appeal block on ``page`` accepts signatures now."""
    if not hasattr(page, "get_appeal_blocks"):
        return False
    appeals = (page.get_appeal(block.id) for block in page.get_appeal_blocks())
    return any(appeal and appeal.accepts_signatures() for appeal in appeals)


class AppealBlock(blocks.StructBlock):
    """The letter visitors sign, and the settings of its signature drive."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=255)
    introduction = blocks.TextBlock(label=_("Introduction"), required=False)
    salutation = blocks.CharBlock(
        label=_("Salutation"),
        required=False,
        max_length=100,
        help_text=_("Leave empty to use the first recipient's salutation."),
    )
    letter = blocks.RichTextBlock(
        label=_("Letter"),
        features=RICH_TEXT_INLINE,
        help_text=_("The paragraphs of the letter, between the salutation and the demands."),
    )
    include_demands = blocks.BooleanBlock(
        label=_("Include the page's demands in the letter"), required=False, default=True
    )
    closing = blocks.CharBlock(label=_("Closing"), max_length=100, default="Yours sincerely,")
    goal = blocks.IntegerBlock(
        label=_("Signature goal"), required=False, min_value=1, max_value=100_000_000
    )
    closes_at = blocks.DateTimeBlock(
        label=_("Closes at"),
        required=False,
        help_text=_("After this time the appeal accepts no more signatures."),
    )
    delivery_language = blocks.ChoiceBlock(
        label=_("Language the letter is delivered in"),
        choices=content_language_choices,
        required=False,
    )
    closed = blocks.BooleanBlock(
        label=_("Closed"),
        required=False,
        default=False,
        help_text=_("Stop accepting signatures now, in every language."),
    )
    show_signers = blocks.BooleanBlock(
        label=_("Show a public list of recent signers"),
        required=False,
        default=False,
        help_text=_("Only signers who chose to appear are listed, by first name and country."),
    )

    class Meta:
        icon = "edit"
        label = _("Appeal")
        template = "appeals/blocks/appeal.html"

    def get_context(self, value, parent_context=None):
        """The appeal behind this block, its letter, count, form and privacy link.

        The page's context (``CasePage.get_context``) gives the page and the
        site's appeal settings; Wagtail gives the block's ``id``. The appeal row
        exists once the case is published: a preview of an unpublished case
        shows the letter without a form. Nothing here writes to the database.
        """
        context = super().get_context(value, parent_context=parent_context)
        page = context.get("page")
        appeal = page.get_appeal(context.get("id")) if hasattr(page, "get_appeal") else None
        # Settings (the public list, the demands in the letter...) are the appeal's,
        # set from the source page; ``value`` gives this page's words only.
        letter = compose_letter(page, appeal) if page is not None else None
        context.update(
            appeal=appeal,
            letter=letter,
            accepts_signatures=bool(appeal and appeal.accepts_signatures()),
        )
        if appeal is None:
            return context
        context.update(
            signature_count=counters.current(appeal),
            progress_percent=counters.progress_percent(appeal),
            form=self.signature_form(context, appeal, appeal.show_signers),
            privacy_url=self.privacy_url(context),
            mailto=mailto_link(page, letter, appeal),
            recent_signers=self.recent_signers(appeal),
        )
        if not context["accepts_signatures"]:
            context["letter"] = letter = letter.as_sent()
        context["recipient_letter"] = recipient_letter(page, appeal, letter)
        return context

    @staticmethod
    def signature_form(context, appeal, public_list):
        """The form the visitor sent back with errors, for this appeal; else a blank one."""
        form = context.get("signature_form")
        if form is None or context.get("signature_form_appeal") != appeal.pk:
            form = SignatureForm(auto_id="id_%s", public_list=public_list)
        form.describe_fields()
        return form

    @staticmethod
    def privacy_url(context):
        """The privacy notice in the visitor's language where translated."""
        settings = context.get("appeals_settings")
        notice = settings.privacy_notice(get_language()) if settings is not None else None
        return notice.get_url(context.get("request")) if notice is not None else None

    @staticmethod
    def recent_signers(appeal):
        if not appeal.show_signers:
            return []
        return list(appeal.signatures.public()[:RECENT_SIGNERS_SHOWN])


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "appeals/blocks/quote.html"


class CaseBodyBlock(blocks.StreamBlock):
    incident = IncidentBlock()
    demands = DemandsBlock()
    recipient = RecipientBlock()
    appeal = AppealBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FULL, template="appeals/blocks/paragraph.html"
    )
    image = ImageBlock(label=_("Image"), template="appeals/blocks/image.html")
    quote = QuoteBlock()

    class Meta:
        block_counts = {"appeal": {"max_num": 1}}
