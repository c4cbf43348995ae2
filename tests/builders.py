"""Small builders for tests: cases, translations, users, signatures and the signing steps.

Nothing here imports the site (``home``): the plugin's tests build what they need.
"""

import contextlib
import re
import time
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from appeals.models import CasePage, Signature

SAME_ORIGIN = {"origin": "http://testserver"}
# The confirmation link's path and query in an e-mail.
LINK = re.compile(r"https?://[^/\s]+(/\w\w/appeals/confirm/\?token=[\w-]+)")

# French for the strings of ``case_body()`` and ``make_case()``'s defaults.
FRENCH = {
    "Free Anna Ivanova": "Libérez Anna Ivanova",
    "Anna Ivanova": "Anna Ivanova",
    "A defender detained for her work.": "Une défenseuse détenue pour son travail.",
    "Police searched the home of the defender.": (
        "La police a perquisitionné le domicile de la défenseuse."
    ),
    "Kazan": "Kazan",
    "I urge the authorities to:": "J’exhorte les autorités à :",
    "Release her at once;": "La libérer immédiatement ;",
    "Drop every charge.": "Abandonner toutes les charges.",
    "Write to the prosecutor": "Écrivez au procureur",
    "Dear Prosecutor,": "Monsieur le Procureur,",
    "I am writing about the search of her home.": (
        "Je vous écris au sujet de la perquisition de son domicile."
    ),
    "Yours sincerely,": "Veuillez agréer mes salutations distinguées,",
    "Moscow": "Moscou",
}


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


def translate(instance, language_code, translations, *, capture=None, publish=True):
    """Translate ``instance`` through wagtail-localize, filling each source string.

    ``translations`` maps English text to translated text; strings it does not
    mention are left untranslated. ``capture`` is pytest-django's
    ``django_capture_on_commit_callbacks``: wagtail-localize publishes on commit,
    so inside a test's transaction the callbacks must be run (outside one they run at once).
    """
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    with capture(execute=True) if capture else contextlib.nullcontext():
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


def api_payload(**overrides):
    """A valid signature for the API, as JSON values: booleans, strings."""
    from appeals.forms import signed_render_time

    payload = {
        "name": "Marie Curie",
        "email": "api-signer@example.org",
        "country": "FR",
        "consent": True,
        "rendered_at": signed_render_time(time.time() - 60),
    }
    payload.update(overrides)
    return payload


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


def post_signature(client, appeal, data=None, language="en", json=False, **headers):
    """Post the signature form from the case page itself (same origin), as a visitor does.

    ``json`` asks for the JavaScript answer; ``headers`` add to or replace the origin header.
    """
    headers = {**SAME_ORIGIN, **headers}
    if json:
        headers["accept"] = "application/json"
    return client.post(
        f"/{language}/appeals/{appeal.public_id}/sign/",
        sign_data() if data is None else data,
        headers=headers,
    )


def make_signature(appeal, **fields):
    """A stored signature row, confirmed unless ``confirmed_at=None`` is given."""
    values = {
        "language": "en",
        "name": "Amal Haddad",
        "email": "amal@example.org",
        "country": "LB",
        "consent_version": "1",
        "confirmed_at": "2026-01-01T00:00:00Z",
    }
    values.update(fields)
    return Signature.objects.create(appeal=appeal, **values)


def emailed_link(email=None):
    """The confirmation path in ``email`` (the last one sent by default), or None."""
    email = email or mail.outbox[-1]
    match = LINK.search(email.body)
    return match.group(1) if match else None


def confirm_signature(client=None, signature=None):
    """Confirm a signature as its signer does.

    With a ``client``: press the button behind the last e-mailed link (returns the response).
    With a ``signature``: issue it a token and confirm through ``appeals.signing.confirm``
    (returns its outcome).
    """
    if signature is None:
        return client.post(emailed_link(), headers=SAME_ORIGIN)
    from appeals.signing import confirm

    signature.email_due = "confirm"
    token = signature.issue_token()
    signature.save()
    return confirm(token)


def set_appeal_option(page, **options):
    """Set options of the page's appeal block (``closed=True``...) and publish the page."""
    page = CasePage.objects.get(pk=page.pk)
    (block,) = page.get_appeal_blocks()
    block.value.update(options)
    page.save_revision().publish()
    return page
