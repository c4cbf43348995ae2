"""The case body in Wagtail's API v3: typed blocks, each appeal block with its appeal."""

from typing import Any

from wagtail.api.v3.schemas.generators.read import read_generator

from appeals.api.representations import appeal_summary
from appeals.api.schemas import CaseBodyItem
from appeals.models import Appeal
from appeals.models.pages import CaseBodyField


def case_body(page, context) -> list[dict[str, Any]]:
    """The page's blocks as the API gives them; an appeal block also gives its appeal.

    An appeal block's settings are its appeal's, the source page's: a translation's
    copy of them is only as fresh as its last sync.
    """
    body = page.body
    items = body.stream_block.get_api_representation(body, context)
    appeals = {str(appeal.block_id): appeal for appeal in Appeal.objects.for_page(page)}
    for item, block in zip(items, body, strict=True):
        if item["type"] == "appeal":
            appeal = appeals.get(block.id)
            item["appeal"] = appeal and appeal_summary(appeal, page, block.value)
            if appeal:
                item["value"].update(appeal.settings())
    return items


def case_body_schema(generator, field):
    """The schema generator's entry for ``CaseBodyField``: (type, default, resolver)."""

    def resolve(obj, context):
        return case_body(obj, context)

    return list[CaseBodyItem], [], staticmethod(resolve)


def register_field_schemas():
    """Describe the case body to Wagtail's v3 schema generator (run from ``ready()``)."""
    read_generator.register_field_schema(CaseBodyField, case_body_schema)
