#!/usr/bin/env python3
"""Where Odoo finds the addons of this repository: the one place for all scripts.

The addons path is this repository, then every folder of ``odoo.addons`` that
holds addons: Odoo's own and the OCA wheels' (site-packages/odoo/addons).

    python3 tools/odoo_env.py --addons-path     # prints the addons path
    python3 tools/odoo_env.py --odoo-bin        # prints the path of Odoo's start script
    python3 tools/odoo_env.py [KEY=VALUE ...]   # prints an Odoo configuration
                                                # file with it and these options

Python scripts import it: ``from odoo_env import addons_path``.
"""

import os
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def addons_path():
    """The comma-separated addons path: this repository first."""
    import odoo.addons

    def has_addons(path):
        return os.path.isdir(path) and any(
            os.path.isfile(os.path.join(path, name, "__manifest__.py"))
            for name in os.listdir(path)
        )

    paths = [HERE] + [path for path in odoo.addons.__path__ if has_addons(path)]
    return ",".join(dict.fromkeys(os.path.realpath(path) for path in paths))


def odoo_bin():
    """Odoo's start script (``odoo``, installed with Odoo). A server with
    workers needs it rather than ``python3 -m odoo``: it starts its websocket
    process as ``python3 <start script> gevent``."""
    import sysconfig

    return os.path.join(sysconfig.get_path("scripts"), "odoo")


def config(**options):
    """An Odoo configuration file: the addons path and ``options``."""
    lines = ["[options]", f"addons_path = {addons_path()}"]
    lines += [f"{key} = {value}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def main(args):
    if args == ["--addons-path"]:
        sys.stdout.write(addons_path() + "\n")
        return 0
    if args == ["--odoo-bin"]:
        sys.stdout.write(odoo_bin() + "\n")
        return 0
    options = dict(arg.split("=", 1) for arg in args if "=" in arg)
    if len(options) != len(args):
        sys.stderr.write(__doc__)
        return 2
    sys.stdout.write(config(**options))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
