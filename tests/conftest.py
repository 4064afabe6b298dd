"""Test-wide settings and fixtures: the ``slow`` marker for multi-process, Ray, training and build tests,
and a headless chromium for the tests of pages (``browser``, ``tab``).

CI runs every test; ``python -m pytest -m "not slow"`` gives a quick run while editing.

The pages are tested in the system's chromium, driven by Playwright: a test that asks for ``browser``
or ``tab`` is skipped, with the reason, where the system has no chromium binary (Debian: ``apt-get
install chromium``; ``.ci/run`` installs it) or Playwright for Python is missing (the ``dev`` extra);
``playwright install`` is never needed. Playwright is imported only when a test asks for a browser.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

READY = "document.documentElement.dataset.ready === 'true'"
"""What the pages (review, evaluation view) set once their script has run."""

MARKED_SECTIONS = """() => Array.from(document.querySelectorAll("section.doc"), (section) => {
  const container = section.querySelector(".text");
  const starts = new Map(), ends = new Map();
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let offset = 0;  // in code points, as Python counts
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const marks = [];
    for (let e = node.parentElement; e !== container; e = e.parentElement) marks.push(e);
    marks.forEach((mark) => { if (!starts.has(mark)) starts.set(mark, offset); });
    offset += Array.from(node.data).length;
    marks.forEach((mark) => ends.set(mark, offset));
  }
  return {doc: section.dataset.doc, text: container.textContent,
          marks: Array.from(container.querySelectorAll("mark.ev"), (mark) => ({
            ...FIELDS, start: Number(mark.dataset.start), end: Number(mark.dataset.end),
            part: mark.dataset.part || null, text: mark.textContent, domStart: starts.get(mark), domEnd: ends.get(mark)}))};
})"""


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow: multi-process, Ray, training or build tests (seconds to minutes)")


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole run."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("Playwright for Python is missing (pip install -e '.[dev]')")
    from playwright.sync_api import sync_playwright

    root = hasattr(os, "geteuid") and os.geteuid() == 0  # chromium refuses its sandbox as root
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"] if root else [])
        yield browser
        browser.close()


@dataclass
class Tab:
    """A page, with every console error or warning, page error and request it made."""

    page: Any
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: Path, anchor: str = "") -> None:
        """Go to the page at ``path`` (and ``anchor``) and wait until its script has run."""
        self.page.goto(path.as_uri() + anchor)
        self.wait_ready()

    def wait_ready(self) -> None:
        """Wait until the script of the page shown has run."""
        self.page.wait_for_function(READY)

    def marked_sections(self, fields: str) -> list[dict]:
        """Each ``section.doc`` of the page: its ``doc``, its ``text`` as the browser has it, and each of
        its ``mark.ev``: ``start``, ``end``, ``part`` and ``text`` as the page writes them, its range in the
        section's text by the DOM (``domStart``, ``domEnd``, in code points) and ``fields`` (a JavaScript
        object literal over ``mark``)."""
        return self.page.evaluate(MARKED_SECTIONS.replace("FIELDS", fields))

    def ready_seconds(self, path: Path, condition: str = READY) -> float:
        """Seconds from navigation to ``condition`` in the page, by the wall clock, best of three."""
        times = []
        for _ in range(3):
            started = time.perf_counter()
            self.page.goto(path.as_uri(), wait_until="domcontentloaded")
            self.page.wait_for_function(condition)
            times.append(time.perf_counter() - started)
        return min(times)


@pytest.fixture
def tab(browser):
    """A new page of ``browser``; the test fails if the page logged an error or a warning, or asked the
    network for anything."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    tab = Tab(page)
    page.on("console", lambda message: message.type in ("error", "warning")
            and tab.problems.append(f"console {message.type}: {message.text}"))
    page.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
    page.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    page.close()
    assert tab.problems == []
    assert [url for url in tab.requests if not url.startswith("file://")] == []  # nothing from the network
