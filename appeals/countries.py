"""Country names as signers read and look for them, in every language.

django-countries names countries from its own catalogues, where some names are
wrong for the people who pick them: a genitive where Russian wants the
nominative ("Либерии"), a typo ("Trinidad yTobago"), a formal name that sorts
under "República" where Spanish readers look for "Chad". Its
``COUNTRIES_OVERRIDE`` setting names a country once for every language, so the
corrections live here, per language, and every place a signer sees a country
name (the form, the letter, the public list) asks here.
"""

from functools import cache

from django.utils.translation import get_language, override
from django_countries import countries

CORRECTIONS = {
    "en": {"BS": "Bahamas", "NR": "Nauru"},
    "es": {"TD": "Chad", "TT": "Trinidad y Tobago"},
    "fr": {"MH": "Îles Marshall", "TT": "Trinité-et-Tobago"},
    "ru": {
        "AE": "Объединённые Арабские Эмираты",
        "LR": "Либерия",
        "MF": "Сен-Мартен",
        "MM": "Мьянма",
        "NC": "Новая Каледония",
        "PS": "Палестина",
        "SH": "Остров Святой Елены",
        "SM": "Сан-Марино",
        "SX": "Синт-Мартен",
        "US": "Соединённые Штаты Америки",
    },
    # Micronesia was labelled "(United States)"; Guyana and French Guiana were spelt
    # two ways.
    "ar": {"FM": "ميكرونيسيا", "GF": "غيانا الفرنسية"},
    "fa": {"TD": "چاد"},
}
# The English names that django-countries gets wrong are also what languages without
# a catalogue of their own show.
MISNAMED_IN_ENGLISH = {"Naoero": "Nauru", "Bahamas (The)": "Bahamas"}


def corrections(language=None):
    language = (language or get_language() or "en").lower()
    return CORRECTIONS.get(language) or CORRECTIONS.get(language.split("-")[0], {})


def country_name(code, language=None) -> str:
    """The name of the country ``code`` in ``language`` (the active one by default)."""
    if not code:
        return ""
    corrected = corrections(language).get(code)
    if corrected:
        return corrected
    name = str(countries.name(code))
    return MISNAMED_IN_ENGLISH.get(name, name)


@cache
def collator():
    import pyuca  # a dependency: the Unicode collation algorithm, for every script

    return pyuca.Collator()


def country_choices():
    """Every country as (code, name) in the active language, sorted by the name shown."""
    return list(sorted_choices(get_language()))


# Names and their order come from catalogues and settings that are read once per process:
# sorting 250 names by the Unicode collation on every form was most of a case page's time.
@cache
def sorted_choices(language):
    with override(language):
        named = [(code, country_name(code, language)) for code, _name in countries]
    return tuple(sorted(named, key=lambda choice: collator().sort_key(choice[1])))
