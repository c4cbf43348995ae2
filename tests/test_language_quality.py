"""The catalogues read as their languages are written: each test pins one correction."""

import re
from pathlib import Path

import polib
import pytest
from django.template.loader import render_to_string
from django.utils import translation

from appeals.letter import Signer
from tests.builders import make_signature, set_appeal_option

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def notice(visitor_language, text_language="en"):
    with translation.override(visitor_language):
        return render_to_string(
            "appeals/includes/text_language.html", {"text_language": text_language}
        )


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("fr", ["(français)", "(anglais)"]),
        ("es", ["(español)", "(inglés)"]),
        ("ru", ["(русский)", "(английский)"]),
    ],
)
def test_the_notice_writes_language_names_in_lower_case_mid_sentence(language, names):
    text = notice(language)
    for name in names:
        assert name in text
        assert f"({name[1:-1].capitalize()})" not in text


def test_the_russian_notice_names_the_language_in_the_nominative_it_stands_in():
    text = notice("ru")
    assert "показан на другом языке (английский)" in text
    assert "на английском)" not in text


def arabic(singular, plural, count):
    with translation.override("ar"):
        return translation.ngettext(singular, plural, count) % {"count": count, "days": count}


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "<strong>توقيع واحد</strong>"), (2, "<strong>توقيعان</strong>")],
)
def test_arabic_counts_one_and_two_signatures_without_repeating_the_number(count, expected):
    text = arabic(
        "<strong>%(count)s</strong> signature", "<strong>%(count)s</strong> signatures", count
    )
    assert text == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "لم تجمع أي توقيع"), (1, "جمعت توقيعًا واحدًا"), (2, "جمعت توقيعين"), (3, "جمعت 3 توقيعات")],
)
def test_arabic_closed_appeals_count_naturally(count, expected):
    for singular, plural in [
        (
            "It gathered %(count)s signature. Thank you.",
            "It gathered %(count)s signatures. Thank you.",
        ),
        (
            "This appeal is closed. It gathered %(count)s signature. Thank you.",
            "This appeal is closed. It gathered %(count)s signatures. Thank you.",
        ),
    ]:
        text = arabic(singular, plural, count)
        assert expected in text
        assert f"({count})" not in text


def test_the_arabic_link_lasts_one_day_or_two_days():
    one = arabic("The link works for %(days)s day.", "The link works for %(days)s days.", 1)
    two = arabic("The link works for %(days)s day.", "The link works for %(days)s days.", 2)
    assert one == "الرابط صالح لمدة يوم واحد."
    assert two == "الرابط صالح لمدة يومين."


def catalogue_texts(*paths):
    for path in paths:
        for entry in polib.pofile(str(ROOT / path)):
            yield from [entry.msgstr, *entry.msgstr_plural.values()]


def test_arabic_thanks_the_signer_in_the_singular_everywhere():
    texts = list(
        catalogue_texts(
            "appeals/locale/ar/LC_MESSAGES/django.po", "locale/ar/LC_MESSAGES/django.po"
        )
    )
    assert any("شكرًا لك" in text for text in texts)
    assert not [text for text in texts if "شكرًا لكم" in text]


RUSSIAN = [
    "appeals/locale/ru/LC_MESSAGES/django.po",
    "locale/ru/LC_MESSAGES/django.po",
    "home/demo/translations/ru.po",
]
# Words Russian writes with ё, that the catalogues once wrote with е.
WITHOUT_YO = re.compile(
    r"\b(ее|Ее|нее|еще|Еще|передаем|Серьезн\w*|серьезн\w*|нем|Соединенн\w*|Объединенн\w*)\b"
)


def test_russian_writes_yo_consistently():
    assert not [text for text in catalogue_texts(*RUSSIAN) if WITHOUT_YO.search(text)]


@pytest.mark.parametrize(
    ("language", "place"),
    [("ar", "Paris، مصر"), ("fa", "Paris، مصر"), ("fr", "Paris, Égypte"), ("en", "Paris, Egypt")],
)
def test_the_signers_place_joins_town_and_country_with_the_languages_comma(language, place):
    with translation.override(language):
        assert Signer("Amal Haddad", city="Paris", country="EG").place == place


def test_the_recent_signers_use_the_persian_comma(client, tree, appeal):
    set_appeal_option(tree.case, show_signers=True)
    make_signature(appeal, name="Amal Haddad", email="amal@example.org", show_publicly=True)
    html = client.get(f"/fa/cases/{tree.case.slug}/").content.decode()
    with translation.override("fa"):
        from appeals.countries import country_name

        lebanon = country_name("LB")
    assert f"<bdi>Amal</bdi>، {lebanon}" in html
