"""An editor builds a case in Wagtail's page editor, block by block."""

import pytest
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from appeals.models import CaseIndexPage, CasePage
from tests.builders import make_user
from tests.conftest import tree_key


def list_block(items):
    """A ListBlock's items as the editor's form posts them."""
    data = {"count": len(items)}
    for number, item in enumerate(items):
        data[str(number)] = {"value": item, "deleted": "", "order": str(number)}
    return data


@pytest.mark.usefixtures("tree")
class TestTheCaseEditor(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(make_user("editor-in-chief", superuser=True))
        self.index = CaseIndexPage.objects.get(
            translation_key=tree_key("cases"), locale__language_code="en"
        )

    def test_a_superuser_creates_a_case_with_every_letter_block(self):
        form = nested_form_data(
            {
                "title": "Free Pavel Sokolov",
                "slug": "pavel-sokolov",
                "defender_name": "Pavel Sokolov",
                "summary": "A lawyer detained for defending protesters.",
                "body": streamfield(
                    [
                        ("incident", {
                            "date": "2025-02-03", "place": "Perm",
                            "narrative": rich_text("<p>Police detained him at court.</p>"),
                        }),
                        ("demands", {
                            "introduction": "I call on the authorities to:",
                            "demands": list_block(["Release him;", "Let him work."]),
                        }),
                        ("recipient", {
                            "salutation": "Dear Prosecutor,", "name": "Ivan Petrov",
                            "address_lines": list_block(["Kuibysheva 9"]), "city": "Perm",
                            "email": "office@example.org",
                        }),
                        ("appeal", {
                            "heading": "Write to the prosecutor",
                            "letter": rich_text("<p>I am writing about Pavel Sokolov.</p>"),
                            "include_demands": "on", "closing": "Yours sincerely,",
                            "goal": "500", "delivery_language": "",
                        }),
                    ]
                ),
                "updates": inline_formset([]),
            }
        )  # fmt: skip

        self.assertCanCreate(self.index, CasePage, form)

        case = CasePage.objects.get(slug="pavel-sokolov", alias_of__isnull=True)
        blocks = {block.block_type: block.value for block in case.body}
        assert list(blocks) == ["incident", "demands", "recipient", "appeal"]
        assert blocks["incident"]["place"] == "Perm"
        assert list(blocks["demands"]["demands"]) == ["Release him;", "Let him work."]
        assert blocks["recipient"]["email"] == "office@example.org"
        assert blocks["appeal"]["goal"] == 500
        assert case.get_parent().specific == self.index
