"""Every catalogue the project ships is complete, unfuzzy, and valid."""

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


@pytest.mark.parametrize("path", CATALOGUES, ids=str)
def test_translations_keep_their_placeholders(path):
    for entry in polib.pofile(str(path)):
        for translated in [entry.msgstr, *entry.msgstr_plural.values()]:
            if translated:
                assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
                    PLACEHOLDER.findall(translated)
                ), entry.msgid


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
