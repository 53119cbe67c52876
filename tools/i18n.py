#!/usr/bin/env python3
"""Refresh the addon's translation files from a database where it is installed.

Exports the .pot template, then brings de.po and de_CH.po in line with it:
new terms are added untranslated (the tests list them until they are
translated), terms gone from the code are dropped, translations are kept.

    python3 tools/i18n.py DATABASE
"""

import os
import sys
import tempfile

import polib

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N = os.path.join(HERE, "mint_support_contract", "i18n")
sys.path.insert(0, os.path.join(HERE, "tools"))

from bench import odoo_bin  # noqa: E402


def main(db):
    pot_path = os.path.join(I18N, "mint_support_contract.pot")
    with tempfile.NamedTemporaryFile(suffix=".pot") as export:
        odoo_bin(
            "-d",
            db,
            f"--i18n-export={export.name}",
            "--modules=mint_support_contract",
            "--log-level=warn",
            "--stop-after-init",
        )
        pot = polib.pofile(export.name)
        pot.save(pot_path)
    for lang in ("de", "de_CH"):
        path = os.path.join(I18N, f"{lang}.po")
        po = polib.pofile(path)
        translated = {entry.msgid: entry.msgstr for entry in po if entry.msgstr}
        po[:] = []
        for entry in pot:
            entry.msgstr = translated.get(entry.msgid, "")
            po.append(entry)
        po.save(path)
        missing = [entry.msgid for entry in po if not entry.msgstr]
        print(f"{lang}.po: {len(po)} terms, {len(missing)} to translate")
        for msgid in missing:
            print(f"  {msgid!r}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
