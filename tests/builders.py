"""Small builders for tests: the demo's objects, new cases, users."""

import time
import uuid
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from appeals.models import CaseIndexPage, CasePage, Status
from home.demo.tree import demo_key
from home.models import HomePage


def demo_tree():
    english = Locale.objects.get(language_code="en")
    return SimpleNamespace(
        english=english,
        home=HomePage.objects.get(translation_key=demo_key("home"), locale=english),
        index=CaseIndexPage.objects.get(translation_key=demo_key("cases"), locale=english),
        case=CasePage.objects.get(translation_key=demo_key("case:igor-kalyapin"), locale=english),
        status=Status.objects.get(slug="detained", locale=english),
    )


def stream_block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def list_items(texts):
    return [{"type": "item", "value": text, "id": str(uuid.uuid4())} for text in texts]


def recipient_value(**overrides):
    value = {
        "salutation": "Dear Prosecutor,",
        "title": "Mr",
        "name": "Ivan Petrov",
        "position": "Prosecutor General",
        "organisation": "Prosecutor General's Office",
        "address_lines": list_items(["Bolshaya Dmitrovka 15a"]),
        "postcode": "125993",
        "city": "Moscow",
        "country": "Russian Federation",
        "phone": "+7 495 987 5656",
        "fax": "+7 495 692 1725",
        "email": "office@example.org",
    }
    value.update(overrides)
    return value


def case_body():
    return [
        stream_block(
            "incident",
            {
                "date": "2024-05-02",
                "place": "Kazan",
                "narrative": "<p>Police searched the home of the defender.</p>",
            },
        ),
        stream_block(
            "demands",
            {
                "introduction": "I urge the authorities to:",
                "demands": list_items(["Release her at once;", "Drop every charge."]),
            },
        ),
        stream_block("recipient", recipient_value()),
        stream_block(
            "appeal",
            {
                "heading": "Write to the prosecutor",
                "introduction": "Add your name.",
                "salutation": "",
                "letter": "<p>I am writing about the search of her home.</p>",
                "include_demands": True,
                "closing": "Yours sincerely,",
                "goal": 100,
                "closes_at": None,
                "delivery_language": "",
                "show_signers": False,
            },
        ),
        stream_block("paragraph", "<p>Some background.</p>"),
        stream_block("quote", {"quote": "We will not be silenced.", "attribution": "A defender"}),
    ]


def make_case(index, title="Free Anna Ivanova", **fields):
    case = CasePage(
        title=title,
        defender_name=fields.pop("defender_name", "Anna Ivanova"),
        summary=fields.pop("summary", "A defender detained for her work."),
        body=fields.pop("body", case_body()),
        **fields,
    )
    index.add_child(instance=case)
    case.save_revision().publish()
    return case


def translate(instance, language_code, translations, *, capture, publish=True):
    """Translate ``instance`` through wagtail-localize, filling each source string.

    ``translations`` maps English text to translated text; strings it does not
    mention are left untranslated. ``capture`` is pytest-django's
    ``django_capture_on_commit_callbacks``: wagtail-localize publishes on commit.
    """
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    with capture(execute=True):
        TranslationCreator(None, [locale]).create_translations(instance)
        source = TranslationSource.objects.get_for_instance(instance)
        translation = Translation.objects.get(source=source, target_locale=locale)
        fill_segments(source, locale, translations)
        translation.save_target(publish=publish)
    return instance.get_translation(locale)


def fill_segments(source, locale, translations):
    for segment in source.stringsegment_set.select_related("string", "context"):
        if segment.string.data in translations:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": translations[segment.string.data]},
            )


def make_user(username, *, groups=(), superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", "pw")
    user = User.objects.create_user(username, f"{username}@example.org", "pw")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def sign_data(**overrides):
    """A valid signature form, rendered long enough ago to be a person's."""
    from appeals.forms import signed_render_time

    data = {
        "name": "Marie Curie",
        "email": "marie@example.org",
        "country": "FR",
        "city": "Paris",
        "message": "",
        "consent": "on",
        "rendered_at": signed_render_time(time.time() - 60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
