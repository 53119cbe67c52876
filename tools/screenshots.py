#!/usr/bin/env python3
"""Screenshots for the readme, taken from the running demo (``make demo``).

Drives headless Chromium over the DevTools protocol and writes PNG files to
``mint_support_contract/static/description/``:

- ``support_snippet.png`` and ``support_snippet_phone.png``: ``/support`` as a
  visitor, on a desktop and on a 375 px wide phone;
- ``support_product.png``: the shop page of MINT yearly (what the tier
  includes, no quantity to choose);
- ``ticket_list.png``, ``ticket_kanban.png``, ``sla_report.png``: the
  helpdesk ticket list and board with the response SLA, and the SLA analysis
  (admin, 1,366 px wide);
- ``portal_my_support.png``: "My support" of the MINT+ demo customer, and
  ``portal_my_support_phone.png`` on a phone with a downgrade's confirmation.

    python3 tools/screenshots.py [--url http://localhost:8069]
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import requests
import websocket

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(HERE, "mint_support_contract", "static", "description")
PORT = 9333


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp()
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--hide-scrollbars",
                f"--remote-debugging-port={PORT}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                pages = requests.get(f"http://127.0.0.1:{PORT}/json", timeout=2).json()
                page = next(p for p in pages if p["type"] == "page")
                break
            except (requests.ConnectionError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        self.ids = 0
        self.call("Page.enable")
        # the back end shows times in the browser's zone: the demo is in Zurich
        self.call("Emulation.setTimezoneOverride", timezoneId="Europe/Zurich")

    def call(self, method, **params):
        self.ids += 1
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.ids:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def shoot(
        self, url, path, width=1280, height=900, mobile=False, wait=3, click=None
    ):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.call("Page.navigate", url=url)
        time.sleep(wait)
        # Bus notices of an earlier module update ("The page is out of date")
        # are not part of what the screenshot shows.
        self.call(
            "Runtime.evaluate",
            expression="document.querySelectorAll('.o_notification')"
            ".forEach((notice) => notice.remove())",
        )
        if click:  # e.g. open a confirmation dialog before the shot
            self.call(
                "Runtime.evaluate",
                expression=f"document.querySelector({json.dumps(click)}).click()",
            )
            time.sleep(1)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
        print(f"{path}  <- {url}")

    def login(self, base, login, password):
        session = requests.Session()
        page = session.get(f"{base}/web/login", timeout=30).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        session.post(
            f"{base}/web/login",
            data={"login": login, "password": password, "csrf_token": csrf},
            timeout=30,
        ).raise_for_status()
        self.call("Network.clearBrowserCookies")
        self.call(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            url=base,
        )

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    base = parser.parse_args().url.rstrip("/")
    os.makedirs(TARGET, exist_ok=True)
    browser = Browser()
    try:
        browser.shoot(f"{base}/support", os.path.join(TARGET, "support_snippet.png"))
        browser.shoot(
            f"{base}/support",
            os.path.join(TARGET, "support_snippet_phone.png"),
            width=375,
            height=1400,
            mobile=True,
        )
        page = requests.get(f"{base}/support", timeout=30).text
        product = re.search(
            r'href="([^"]+)"[^>]*data-period="yearly"[^>]*o_support_buy_yearly', page
        ) or re.search(r'o_support_buy_yearly[^>]*href="([^"]+)"', page)
        browser.shoot(
            base + product.group(1),
            os.path.join(TARGET, "support_product.png"),
            height=1000,
        )
        browser.login(base, "admin", "admin")
        tickets = f"{base}/odoo/action-helpdesk_mgmt.helpdesk_ticket_action"
        for url, name in (
            (f"{tickets}?view_type=list", "ticket_list.png"),
            (f"{tickets}?view_type=kanban", "ticket_kanban.png"),
            (
                f"{base}/odoo/action-mint_support_contract."
                "helpdesk_ticket_action_sla_report",
                "sla_report.png",
            ),
        ):
            browser.shoot(
                url, os.path.join(TARGET, name), width=1366, height=640, wait=12
            )
        browser.login(base, "sandra", "sandra")
        browser.shoot(
            f"{base}/my/support",
            os.path.join(TARGET, "portal_my_support.png"),
            height=1300,
        )
        browser.shoot(
            f"{base}/my/support",
            os.path.join(TARGET, "portal_my_support_phone.png"),
            width=375,
            height=900,
            mobile=True,
            click=".o_support_option_downgrade",
        )
    finally:
        browser.close()


if __name__ == "__main__":
    main()
