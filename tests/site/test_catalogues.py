"""Every catalogue the project ships is complete, unfuzzy, and valid."""

import gettext
import re
import shutil
import subprocess

import polib
import pytest

from website.compile_catalogues import catalogues

CATALOGUES = list(catalogues())
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{\{ ?[a-z_]+ ?\}\}")


def test_the_project_ships_catalogues_for_each_language():
    languages = {path.parent.parent.name for path in CATALOGUES}
    assert languages >= {"fr", "es", "ru", "ar"}


@pytest.mark.parametrize("path", CATALOGUES, ids=str)
def test_catalogue_is_complete_and_not_fuzzy(path):
    po = polib.pofile(str(path))
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    assert po.metadata.get("Plural-Forms")


def forms_of_one_number(po):
    """The plural forms that stand for a single number (Arabic's 0, 1 and 2): they may
    say it in words ("توقيعان", two signatures) instead of repeating the number, as GNU
    gettext allows."""
    plural = gettext.c2py(po.metadata["Plural-Forms"].split("plural=")[1].rstrip(";"))
    numbers = {}
    for n in range(1000):
        numbers.setdefault(plural(n), set()).add(n)
    return {form for form, ns in numbers.items() if len(ns) == 1}


@pytest.mark.parametrize("path", CATALOGUES, ids=str)
def test_translations_keep_their_placeholders(path):
    po = polib.pofile(str(path))
    in_words = forms_of_one_number(po)
    for entry in po:
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgstr:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == expected, entry.msgid
        for form, translated in entry.msgstr_plural.items():
            found = sorted(PLACEHOLDER.findall(translated))
            if form in in_words:
                assert set(found) <= set(expected), entry.msgid
            else:
                assert found == expected, entry.msgid


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
@pytest.mark.parametrize("path", CATALOGUES, ids=str)
def test_msgfmt_accepts_the_catalogue(path):
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", "/dev/null", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
