"""Driving the page in Debian's Chromium with Playwright, every request but the page's own blocked.

Chromium comes from the system (``apt-get install chromium``, done by .ci/run);
Playwright never downloads a browser here. Set KG_CHROMIUM to use another binary.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output"
# As root Chromium needs --no-sandbox; the other flags stop its background calls home, which this machine refuses.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
EVIL = "<img src=x onerror=alert(1)>"


# One per test module, not per session: a module that starts servers (test_serve) forks worker processes, which
# must not inherit the pipes of a Playwright driver left running by another module.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


class OpenedPage:
    """A page loaded from a file with every other request blocked, and what it did."""

    def __init__(self, browser, path: Path, bypass_csp: bool = True, wait_for: str = "network"):
        # Playwright's wait helpers evaluate strings, which the page's CSP forbids; the CSP itself is
        # checked in test_no_console_errors_and_no_requests, which keeps it.
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp)
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.dialogs: list[str] = []
        target = path.resolve().as_uri()
        self.page.route("**/*", self._route(target))
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))
        self.page.on("pageerror", lambda error: self.console.append(("pageerror", str(error))))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(target)
        self.settled_after_ms = self._wait_until_stable() if wait_for == "network" else self._wait_until_ready(wait_for)

    def _route(self, target: str):
        def handle(route):
            if route.request.url == target:
                route.continue_()
            else:
                self.blocked.append(route.request.url)
                route.abort()

        return handle

    def _poll(self, condition: str, failure: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.page.evaluate(condition):
                return
            time.sleep(0.05)
        raise AssertionError(f"{failure} within {timeout} s; console: {self.console}")

    def _wait_until_stable(self) -> float:
        self._poll("() => !!(window.famkg && window.famkg.stable)", "the layout did not settle")
        return self.page.evaluate("() => window.famkg.settledAfterMs")

    def _wait_until_ready(self, view: str) -> None:
        self._poll(f"() => !!(window.famkg && window.famkg.ready[{view!r}])", f"the {view} view was not drawn")

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def close(self):
        self.context.close()
