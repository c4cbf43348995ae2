"""Translates the demo through wagtail-localize, as a translator with a PO file would.

For each object and language: wagtail-localize creates the translation, exports
its PO file, the demo fills the PO from ``translations/<language>.po`` and
``translations/*/<language>.po`` (the privacy notice's, keyed by the English text
like the case's), imports it back, and publishes the translated object.
"""

from pathlib import Path

import polib
from django.db import transaction
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


class MissingDemoTranslation(Exception):
    pass


def catalogue_paths(language_code):
    """The demo's PO files for one language: the seed case's, then one per page of text."""
    return [
        TRANSLATIONS_DIR / f"{language_code}.po",
        *sorted(TRANSLATIONS_DIR.glob(f"*/{language_code}.po")),
    ]


def demo_catalogue(language_code):
    """English text → translation, for one language."""
    catalogue = {}
    for path in catalogue_paths(language_code):
        po = polib.pofile(str(path))
        catalogue |= {
            entry.msgid: entry.msgstr for entry in po if entry.msgstr and not entry.obsolete
        }
    return catalogue


def is_translated(instance, locale):
    translated = instance.get_translation_or_none(locale)
    if translated is None:
        return False
    return translated.live if isinstance(translated, Page) else True


@transaction.atomic
def translate_into(instance, locale, catalogue, user):
    """Translate ``instance`` into ``locale`` and publish it, or bring a demo translation
    made by an earlier run up to date with the catalogue (a corrected text reaches demos
    already loaded, not only new ones); returns False if nothing changed."""
    if is_translated(instance, locale):
        return refresh_translation(instance, locale, catalogue, user)
    TranslationCreator(user, [locale]).create_translations(instance, include_related_objects=False)
    source = TranslationSource.objects.get_for_instance(instance)
    translation = Translation.objects.get(source=source, target_locale=locale)
    translation.import_po(filled_po(translation, catalogue), user=user)
    translation.save_target(user=user, publish=True)
    return True


def refresh_translation(instance, locale, catalogue, user):
    """Re-import the catalogue into the demo's translation of ``instance`` if it differs."""
    source = TranslationSource.objects.get_for_instance_or_none(instance)
    translation = Translation.objects.filter(source=source, target_locale=locale).first()
    if translation is None:  # translated by other means: not the demo's to change
        return False
    po = filled_po(translation, catalogue)
    current = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in translation.export_po()}
    if all(current.get((entry.msgctxt, entry.msgid)) == entry.msgstr for entry in po):
        return False
    translation.import_po(po, user=user)
    translation.save_target(user=user, publish=True)
    return True


def filled_po(translation, catalogue):
    po = translation.export_po()
    missing = []
    for entry in po:
        if entry.msgctxt == "slug":
            # The demo keeps its URLs the same in every language.
            entry.msgstr = entry.msgid
            continue
        try:
            entry.msgstr = catalogue[entry.msgid]
        except KeyError:
            missing.append(entry.msgid)
    if missing:
        raise MissingDemoTranslation(
            f"{translation.target_locale.language_code}.po has no translation for: "
            + "; ".join(text[:60] for text in missing)
        )
    return po
