"""Screenshots of the pages the browser tests visit, kept as test artefacts under test-results/
at the top of the checkout (git ignores it) for a reviewer to look at."""

from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    path = RESULTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path
