"""Screenshots of the views for the docs, made from the seed bulletins in a headless chromium.

    python scripts/screenshots.py              # every screenshot (docs/images/review.png, evaluation.png)
    python scripts/screenshots.py evaluation   # the named ones

Needs the system's chromium (Debian: ``apt-get install chromium``) and Playwright for Python (the
``dev`` extra); Playwright drives that binary, it downloads no browser. Each view has a function
``NAME_screenshot(browser, path)`` in ``SCREENSHOTS`` and a default path in ``DEFAULT_PATHS``: an
evaluation view adds its own the same way. Pictures are quantised to 256 colours (small PNGs).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def chromium_path() -> str | None:
    """The system's chromium binary, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def launch(playwright):
    """A headless chromium of the system, driven by Playwright (``--no-sandbox`` when run as root,
    where chromium refuses its sandbox)."""
    path = chromium_path()
    if path is None:
        raise SystemExit("no chromium binary on PATH: apt-get install chromium")
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return playwright.chromium.launch(executable_path=path, args=["--no-sandbox"] if root else [])


def seed_records(path: Path) -> Path:
    """The rule extractor's records of the seed bulletins, as ``bulletin-ie extract`` writes them."""
    from ie.pipeline import Extractor
    from ie.reading import InputDocument, iter_inputs

    extractor = Extractor.from_config("rules")
    with open(path, "w", encoding="utf-8") as stream:
        for item in iter_inputs(ROOT / "seeds"):
            if isinstance(item, InputDocument):
                for record in extractor.extract(item.text, doc_id=item.doc_id):
                    stream.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    return path


def save_small_png(png: bytes, path: Path) -> None:
    """``png`` written to ``path``, quantised to 256 colours when Pillow is there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        from io import BytesIO

        from PIL import Image
    except ImportError:
        path.write_bytes(png)
        return
    Image.open(BytesIO(png)).convert("RGB").quantize(colors=256).save(path, optimize=True)


def review_screenshot(browser, path: Path) -> Path:
    """The review page of the seeds (second bulletin, a highlight clicked) at 1280 x 760."""
    from ie.views.html import safe_name
    from ie.views.review import write_review

    with tempfile.TemporaryDirectory() as folder:
        records = seed_records(Path(folder) / "seeds.records.jsonl")
        seeds = Path(os.path.relpath(ROOT / "seeds"))  # the page names its sources as given: seeds/... from the root
        page_path = write_review(seeds, records, Path(folder) / "review.html").output
        page = browser.new_page(viewport={"width": 1280, "height": 760})
        try:
            page.goto(f"{page_path.as_uri()}#d-{safe_name('001_e668537ba56dba67')}")
            page.locator("section.doc:not([hidden]) mark.ev").nth(3).click()
            page.evaluate("window.scrollTo(0, 0)")
            save_small_png(page.screenshot(), path)
        finally:
            page.close()
    return path


def evaluation_screenshot(browser, path: Path) -> Path:
    """The evaluation view (report.html of ``scripts/evaluate.py extractor=rules``) on the seeds: the
    second bulletin, a match with a wrong slot clicked, at 1280 x 760."""
    from ie.pipeline import Extractor
    from ie.research.evaluation import evaluate_extractor, load_corpora
    from ie.research.evaluation_view import write_evaluation_view
    from ie.views.html import safe_name

    corpus = load_corpora("seeds", ROOT / "annotations")
    result = evaluate_extractor(Extractor.from_config("rules"), corpus, name="rules")
    with tempfile.TemporaryDirectory() as folder:
        page_path = write_evaluation_view(result, corpus, Path(folder) / "report.html")
        page = browser.new_page(viewport={"width": 1280, "height": 760})
        try:
            page.goto(f"{page_path.as_uri()}#d-{safe_name('001_e668537ba56dba67')}")
            page.wait_for_function("document.documentElement.dataset.ready === 'true'")
            page.locator("section.doc:not([hidden]) mark.ev.wrong:not(:has(mark))").first.click()
            page.evaluate("window.scrollTo(0, 0)")
            save_small_png(page.screenshot(), path)
        finally:
            page.close()
    return path


SCREENSHOTS = {"review": review_screenshot, "evaluation": evaluation_screenshot}
DEFAULT_PATHS = {"review": ROOT / "docs" / "images" / "review.png",
                 "evaluation": ROOT / "docs" / "images" / "evaluation.png"}


def main(names: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    unknown = sorted(set(names) - set(SCREENSHOTS))
    if unknown:
        print(f"error: unknown screenshot {unknown[0]!r} (one of {sorted(SCREENSHOTS)})", file=sys.stderr)
        return 2
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for name in names or SCREENSHOTS:
                path = SCREENSHOTS[name](browser, DEFAULT_PATHS[name])
                print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
