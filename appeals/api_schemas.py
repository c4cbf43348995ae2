"""Typed schemas of a case page's blocks for Wagtail's API v3.

A StreamField is typed ``Any`` in the OpenAPI document unless its field says
what it returns: ``CaseBodyField`` returns a list of blocks, each described by
its own schema (discriminated by ``type``), so front ends can generate types.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from rest_framework.fields import Field as SerializerField


class IncidentValue(BaseModel):
    date: date
    place: str
    narrative: str = Field(description="Rich text, as HTML.")


class DemandsValue(BaseModel):
    introduction: str
    demands: list[str]


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


def block_schema(name, value_type):
    return type(
        f"{name.title()}Block",
        (BaseModel,),
        {
            "__annotations__": {"type": Literal[name], "value": value_type, "id": str},
        },
    )


IncidentBlock = block_schema("incident", IncidentValue)
DemandsBlock = block_schema("demands", DemandsValue)
RecipientBlock = block_schema("recipient", RecipientValue)
AppealBlock = block_schema("appeal", AppealValue)
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


class CaseBodyField(SerializerField):
    """A case page's ``body`` as typed blocks."""

    def to_representation(self, value) -> list[CaseBodyItem]:
        return value.stream_block.get_api_representation(value)
