"""pytest hooks shared by the suites of this repository (see pytest.ini)."""

import pytest


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_cmdline_main(config):
    """Import Odoo's test framework in test mode, before pytest-odoo does.

    pytest-odoo (2.3) imports ``odoo.tests`` in its own pytest_cmdline_main to
    patch it (subTest, retries), but switches Odoo's test mode
    (``config["test_enable"]``) on only later, around each test module. Odoo 18
    logs "ERROR ... Importing test framework" with a traceback when
    ``odoo.tests`` is imported outside test mode. The test mode cannot come from
    the configuration file: Odoo 18 derives ``test_enable`` from ``test_tags``,
    and test tags would make every registry load run the at_install tests of all
    installed modules. So the framework is imported here, once, in test mode;
    pytest-odoo's own import then finds it loaded. Without pytest-odoo (the
    suites run with ``-p no:odoo``) nothing happens.
    """
    if config.pluginmanager.hasplugin("odoo"):
        from odoo.tools import config as odoo_config

        test_enable = odoo_config["test_enable"]
        odoo_config["test_enable"] = True
        try:
            import odoo.tests  # noqa: F401
        finally:
            odoo_config["test_enable"] = test_enable
    return (yield)
