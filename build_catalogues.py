"""Compile the plugin's gettext catalogues to .mo while setuptools builds it.

The .mo files are git-ignored and never committed (a committed binary drifts
from its .po), so the build makes them: every wheel, whether built straight
from a checkout or from the sdist, ships one .mo beside each .po. polib does
it in pure Python, so building needs no GNU gettext. Registered as setuptools'
``build_py`` in pyproject.toml (``[tool.setuptools.cmdclass]``).
"""

from pathlib import Path

import polib
from setuptools.command.build_py import build_py

CATALOGUES = "locale/*/LC_MESSAGES/*.po"


class BuildPyWithCatalogues(build_py):
    """setuptools' ``build_py``, then each package's catalogues compiled beside their .po."""

    def run(self):
        super().run()
        for package in self.packages or ():
            for po_path in sorted(self.catalogue_root(package).glob(CATALOGUES)):
                mo_path = po_path.with_suffix(".mo")
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                self.announce(f"compiled {mo_path}", level=2)

    def catalogue_root(self, package):
        if self.editable_mode:
            # An editable install runs the source tree itself: compile there.
            return Path(self.get_package_dir(package))
        return Path(self.build_lib, *package.split("."))
