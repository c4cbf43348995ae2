"""Compile every gettext catalogue of the project to .mo, with polib.

Django's compilemessages needs GNU gettext installed; polib (a dependency of
wagtail-localize) does the same in pure Python, so `make` needs nothing but
Python. Usage: python -m website.compile_catalogues
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIRS = [ROOT / "locale", ROOT / "appeals" / "locale"]


def catalogues():
    for directory in CATALOGUE_DIRS:
        yield from sorted(directory.glob("*/LC_MESSAGES/*.po"))


def compile_catalogue(po_path):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return True


if __name__ == "__main__":
    for po_path in catalogues():
        compile_catalogue(po_path)
