"""Checks of the addon's files that need no running Odoo.

Only what the hooks of .pre-commit-config.yaml (make lint) do not check:
XML well-formedness, the manifest's version, license and data files, duplicate
ACL ids, .po syntax and en.po files are theirs.
"""

import ast
import csv
import glob
import re
from pathlib import Path

import polib
import pytest
from lxml import etree

ADDON = Path(__file__).resolve().parent.parent / "mint_support_contract"
MANIFEST = ADDON / "__manifest__.py"
# Models of other modules the ACL may name.
FOREIGN_MODELS = set()


def manifest():
    assert MANIFEST.is_file(), f"{MANIFEST} is missing"
    return ast.literal_eval(MANIFEST.read_text())


def test_manifest_keys():
    """The manifest has the keys Odoo needs and depends on no Enterprise module."""
    data = manifest()
    for key in ("name", "depends", "data", "installable"):
        assert key in data, key
    assert data["installable"] is True
    for enterprise in ("helpdesk", "sale_subscription"):
        assert enterprise not in data["depends"], "no Enterprise modules"


def test_manifest_assets_exist():
    """Every asset file the manifest names exists (pylint-odoo checks data and demo)."""
    data = manifest()
    for bundle, entries in data.get("assets", {}).items():
        for entry in entries:
            path = entry if isinstance(entry, str) else entry[-1]
            if path.startswith("mint_support_contract/"):
                found = glob.glob(str(ADDON.parent / path), recursive=True)
                assert found, f"{bundle}: {path}"


def test_security_files_first():
    """Security files load before the data and views that need them."""
    files = manifest()["data"]
    security = [i for i, name in enumerate(files) if name.startswith("security/")]
    assert security and security == list(range(len(security)))


@pytest.mark.parametrize(
    "path", sorted(ADDON.rglob("*.xml")), ids=lambda p: str(p.relative_to(ADDON))
)
def test_xml_odoo18_syntax(path):
    """No XML file uses what Odoo 18 dropped (attrs, states, <tree>)."""
    tree = etree.parse(str(path))
    assert not tree.xpath("//*[@attrs or @states]"), "attrs/states are gone in 18.0"
    assert not tree.xpath("//tree"), "use <list>"


def defined_models():
    models = {}
    for path in [*ADDON.glob("models/*.py"), *ADDON.glob("wizards/*.py")]:
        source = path.read_text()
        for cls in ast.parse(source).body:
            if not isinstance(cls, ast.ClassDef):
                continue
            attrs = {
                target.id: node.value
                for node in cls.body
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            if "_name" in attrs and isinstance(attrs["_name"], ast.Constant):
                name = attrs["_name"].value
                inherits = attrs.get("_inherit")
                if isinstance(inherits, ast.List) and any(
                    isinstance(item, ast.Constant) and item.value == name
                    for item in inherits.elts
                ):
                    continue  # an existing model extended with a mixin
                base = ast.unparse(cls.bases[0]) if cls.bases else ""
                models[name] = base
    return models


def acl_rows():
    with open(ADDON / "security" / "ir.model.access.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_acl_columns():
    """The ACL file has Odoo's columns and 0/1 permissions."""
    rows = acl_rows()
    assert rows
    assert list(rows[0]) == [
        "id",
        "name",
        "model_id:id",
        "group_id:id",
        "perm_read",
        "perm_write",
        "perm_create",
        "perm_unlink",
    ]
    for row in rows:
        for perm in ("perm_read", "perm_write", "perm_create", "perm_unlink"):
            assert row[perm] in {"0", "1"}, row


def test_every_model_has_acl():
    """Every model the addon creates has at least one ACL line, and no ACL
    names a model that does not exist."""
    models = defined_models()
    referenced = {row["model_id:id"] for row in acl_rows()}
    for name, base in models.items():
        if "AbstractModel" in base:
            continue
        assert f"model_{name.replace('.', '_')}" in referenced, name
    known = {f"model_{name.replace('.', '_')}" for name in models} | FOREIGN_MODELS
    assert referenced <= known, referenced - known


def po_files():
    return sorted((ADDON / "i18n").glob("*.po*"))


def test_translation_files_present():
    """The template and the German translations exist."""
    names = {path.name for path in po_files()}
    assert {"mint_support_contract.pot", "de.po", "de_CH.po"} <= names


@pytest.mark.parametrize("path", po_files(), ids=lambda p: p.name)
def test_translation_file_complete(path):
    """The German files translate every term, none left fuzzy."""
    catalog = polib.pofile(str(path))
    assert len(catalog) > 50
    if path.suffix == ".po":
        untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
        assert not untranslated, untranslated[:10]
        assert not catalog.fuzzy_entries(), "fuzzy entries left"


def test_po_covers_pot():
    """The German files translate every term of the template."""
    pot = {
        entry.msgid
        for entry in polib.pofile(str(ADDON / "i18n" / "mint_support_contract.pot"))
    }
    for lang in ("de", "de_CH"):
        po = {entry.msgid for entry in polib.pofile(str(ADDON / "i18n" / f"{lang}.po"))}
        assert pot <= po, f"{lang}: {sorted(pot - po)[:10]}"


def test_readme_generated_from_fragments():
    """README.rst and static/description/index.html are what tools/readme.py
    makes of the readme/ fragments, screenshots included."""
    import sys

    sys.path.insert(0, str(ADDON.parent / "tools"))
    import readme

    assert readme.main(check=True) == 0, "run python3 tools/readme.py"
    for name in ("DESCRIPTION", "CONFIGURE", "USAGE", "CONTRIBUTORS"):
        assert (ADDON / "readme" / f"{name}.md").is_file(), name
    index = (ADDON / "static" / "description" / "index.html").read_text()
    for src in re.findall(r'<img[^>]* src="([^":]+)"', index):
        assert (ADDON / "static" / "description" / src).is_file(), src
