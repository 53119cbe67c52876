# Copyright 2026 Mint System GmbH
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_is_in_the_template_and_translated(self):
        """Every translatable term of the addon (code, views, data) is in the
        .pot template and has a German and a Swiss German translation."""
        reader = TranslationModuleReader(self.env.cr, ["mint_support_contract"])
        terms = {
            source
            for module, _type, _name, _id, source, _value, _comments in reader
            if module == "mint_support_contract" and source
        }
        self.assertGreater(len(terms), 200)
        for name in ("mint_support_contract.pot", "de.po", "de_CH.po"):
            catalog = polib.pofile(file_path(f"mint_support_contract/i18n/{name}"))
            known = {
                entry.msgid
                for entry in catalog
                if entry.msgstr or name.endswith(".pot")
            }
            self.assertEqual(sorted(terms - known), [], name)
