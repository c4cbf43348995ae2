"""Country names as signers read and look for them in each language, in the form, the
letter and the public list, sorted by the name shown."""

import pytest
from django.utils import translation

from appeals.forms import SignatureForm
from appeals.letter import Signer

CORRECTED = [
    ("en", "NR", "Nauru"),
    ("en", "BS", "Bahamas"),
    ("ru", "LR", "Либерия"),
    ("ru", "MM", "Мьянма"),
    ("ru", "NC", "Новая Каледония"),
    ("ru", "SM", "Сан-Марино"),
    ("ru", "US", "Соединённые Штаты Америки"),
    ("es", "TT", "Trinidad y Tobago"),
    ("es", "TD", "Chad"),
    ("fr", "MH", "Îles Marshall"),
    ("ar", "FM", "ميكرونيسيا"),
    ("ar", "GY", "غيانا"),
    ("ar", "GF", "غيانا الفرنسية"),
    ("fa", "TD", "چاد"),
]


def choices(language):
    with translation.override(language):
        return [
            (code, str(name)) for code, name in SignatureForm().fields["country"].choices if code
        ]


@pytest.mark.parametrize(("language", "code", "name"), CORRECTED)
def test_the_form_offers_the_corrected_name(language, code, name):
    assert dict(choices(language))[code] == name


@pytest.mark.parametrize(("language", "code", "name"), CORRECTED)
def test_the_letter_names_the_signers_country_as_corrected(language, code, name):
    with translation.override(language):
        assert Signer("Amal Haddad", country=code).country_name == name


def test_no_arabic_name_spells_guiana_the_other_way():
    assert not [name for _code, name in choices("ar") if "غويانا" in name]


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "ar", "fa"])
def test_countries_are_sorted_by_the_name_shown(language):
    import pyuca

    names = [name for _code, name in choices(language)]
    assert names == sorted(names, key=pyuca.Collator().sort_key)


@pytest.mark.parametrize(
    ("language", "code", "before", "after"),
    [
        ("es", "TD", "Chile", "Chequia"),  # Chad among the C's, not under "República"
        ("en", "NR", "Namibia", "Nepal"),
        ("en", "BS", "Azerbaijan", "Bahrain"),
        ("ru", "LR", "Лесото", "Ливан"),
        ("ru", "MM", "Монтсеррат", "Намибия"),
        ("ru", "NC", "Новая Зеландия", "Норвегия"),
    ],
)
def test_a_corrected_country_sits_where_its_readers_look_for_it(language, code, before, after):
    codes = [code for code, _name in choices(language)]
    names = dict(choices(language))
    position = codes.index(code)
    assert names[codes[position - 1]] in {before} or names[codes[position + 1]] in {after}
