"""The shapes of the API's answers, as typed schemas in the OpenAPI document.

A case page's body is a list of blocks, each described by its own schema
(discriminated by ``type``); the appeals router's answers have their own.
Front ends can generate types from them.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field


class MessageOut(Schema):
    """Every answer but a form's errors: what happened, in the requested language."""

    status: str
    message: str


class InvalidOut(Schema):
    """The form's errors: messages per field, in the requested language."""

    status: str = "invalid"
    errors: dict[str, list[str]]


class ClosedOut(MessageOut):
    count: int


class ResubmitOut(MessageOut):
    """The form came back too soon or too late: send it once more with this render time."""

    rendered_at: str = Field(description="Replace the form's rendered_at with this one.")


class RecipientValue(BaseModel):
    salutation: str
    title: str
    name: str
    position: str
    organisation: str
    address_lines: list[str]
    postcode: str
    city: str
    country: str
    phone: str
    fax: str
    email: str


class RecipientOut(RecipientValue):
    postal_lines: list[str] = Field(description="The address as it is written on an envelope.")


class LetterOut(BaseModel):
    language: str
    addressee: RecipientOut | None
    copies_to: list[RecipientOut]
    salutation: str
    paragraphs_html: str
    demands_introduction: str
    demands: list[str]
    closing: str
    signer_placeholder: str
    text: str = Field(description="The whole letter as plain text.")


class StateOut(BaseModel):
    open: bool = Field(description="Whether the appeal accepts signatures now.")
    signature_count: int
    goal: int | None
    closes_at: datetime | None


class CaseOut(BaseModel):
    id: int
    title: str
    url: str


class SignerOut(BaseModel):
    first_name: str
    country: str = Field(description="ISO 3166-1 alpha-2")


class ChoiceOut(BaseModel):
    value: str
    label: str


class FormFieldOut(BaseModel):
    name: str
    type: Literal["text", "email", "select", "textarea", "checkbox"]
    required: bool
    label: str
    help_text: str
    max_length: int | None
    choices: list[ChoiceOut] | None = None


class FormOut(BaseModel):
    fields: list[FormFieldOut]
    honeypot_field: str
    rendered_at: str = Field(description="Send it back with the signature, unchanged.")


class AppealSummaryOut(BaseModel):
    """An appeal in one language: its texts, its letter and its live state."""

    id: str
    language: str
    case: CaseOut
    heading: str
    introduction: str
    letter: LetterOut | None = Field(
        description="null only when the appeal's block was removed from its page (closed)."
    )
    state: StateOut
    delivery_language: str
    recent_signers: list[SignerOut] | None = Field(
        description="Only when the editor shows them: first name and country, nothing else."
    )
    generated_at: datetime


class AppealOut(AppealSummaryOut):
    """An appeal with its signature form, labelled in the requested language."""

    recipient_letter: LetterOut | None = Field(
        description="The letter as its recipient reads it, in the appeal's delivery language "
        "(the case's translation in it, else its source). null where that is the letter above, "
        "and where the appeal's block was removed from its page."
    )
    form: FormOut | None = Field(
        description="null when the appeal's block was removed from its page: it takes no "
        "signatures (state.open is false) and the page shows nothing for it."
    )


class IncidentValue(BaseModel):
    date: date
    place: str
    narrative: str = Field(description="Rich text, as HTML.")


class DemandsValue(BaseModel):
    introduction: str
    demands: list[str]


class AppealValue(BaseModel):
    heading: str
    introduction: str
    salutation: str
    letter: str = Field(description="The letter's paragraphs, as HTML.")
    include_demands: bool
    closing: str
    goal: int | None
    closes_at: datetime | None
    delivery_language: str
    closed: bool
    show_signers: bool


class QuoteValue(BaseModel):
    quote: str
    attribution: str


def block_schema(name, value_type, **extra):
    return type(
        f"{name.title()}Block",
        (BaseModel,),
        {
            "__annotations__": {"type": Literal[name], "value": value_type, "id": str, **extra},
        },
    )


IncidentBlock = block_schema("incident", IncidentValue)
DemandsBlock = block_schema("demands", DemandsValue)
RecipientBlock = block_schema("recipient", RecipientValue)
# The appeal block carries its appeal, so a front end rendering blocks in order
# knows which appeal stands at that place (None until the case is published).
AppealBlock = block_schema("appeal", AppealValue, appeal=AppealSummaryOut | None)
ParagraphBlock = block_schema("paragraph", str)
ImageBlock = block_schema("image", dict[str, Any])
QuoteBlock = block_schema("quote", QuoteValue)

CaseBodyItem = Annotated[
    IncidentBlock
    | DemandsBlock
    | RecipientBlock
    | AppealBlock
    | ParagraphBlock
    | ImageBlock
    | QuoteBlock,
    Field(discriminator="type"),
]
