"""Debian's chromium, headless, driven by Selenium through chromedriver (`make setup`).

Every browser gets a fresh profile (no cookies, no SSO session from an earlier test). The
background-networking flags matter here: without them chromium reaches out at start and, on
a machine with a closed network, refuses connections.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
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
