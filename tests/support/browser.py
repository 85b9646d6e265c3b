"""Debian's chromium, headless, driven by Selenium through chromedriver (`make setup`), and
what a person does in it to sign in through the corporate identity provider.

Every browser gets a fresh profile (no cookies, no SSO session from an earlier test). The
background-networking flags matter here: without them chromium reaches out at start and, on
a machine with a closed network, refuses connections.

As a program it is a stand-in browser for `ragmesh login --sso` (Python's ``webbrowser`` runs
``$BROWSER URL``): ``python -m tests.support.browser USER URL`` signs USER in at the
identity provider, password ``RAGMESH_DEMO_PASSWORD``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from mesh.local.keycloak import DEFAULT_DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
IDP = "corp-idp"
STEP_S = 60.0  # one page of the round trip, on a busy 2-core machine
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_installed() -> bool:
    return shutil.which(CHROMIUM) is not None and shutil.which(CHROMEDRIVER) is not None


@contextmanager
def headless_chromium() -> Iterator[webdriver.Chrome]:
    """A headless chromium with a profile of its own, quit and removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ragmesh-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def sign_in_through_idp(driver: WebDriver, url: str, username: str, password: str) -> None:
    """Open the sign-in URL, pick the corporate sign-in, log in at the identity provider, and
    come back (the SAML POST, the first-broker-login) to the loopback redirect."""
    log_in_at_idp(driver, url, username, password)
    WebDriverWait(driver, STEP_S).until(
        lambda d: d.current_url.startswith("http://127.0.0.1:") and "/callback?" in d.current_url
    )


def log_in_at_idp(driver: WebDriver, url: str, username: str, password: str) -> None:
    """Open the sign-in URL, pick the corporate sign-in, submit the identity provider's form."""
    wait = WebDriverWait(driver, STEP_S)
    driver.get(url)
    wait.until(lambda d: d.find_elements(By.ID, f"social-{IDP}"))
    driver.find_element(By.ID, f"social-{IDP}").click()
    wait.until(lambda d: f"/realms/{IDP}/" in d.current_url and d.find_elements(By.ID, "username"))
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "kc-login").click()


def main(argv: list[str]) -> int:
    username, url = argv
    password = os.environ.get("RAGMESH_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    with headless_chromium() as driver:
        sign_in_through_idp(driver, url, username, password)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
