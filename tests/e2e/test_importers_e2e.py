"""Browser: start from a config on the wizard's first step, review, continue the wizard.

Set ADVISOR_SCREENSHOTS=<directory> to keep screenshots of the form and the review.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parent.parent / "fixtures"
VPC = FIXTURES / "cloudformation" / "fargate-private-vpc.yaml"
SERVICE = FIXTURES / "cloudformation" / "fargate-private-subnet-public-service.json"
MESSAGE = FIXTURES / "errors" / "ecr-api-timeout.txt"


def serious_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def shoot(page: Any, name: str) -> None:
    if directory := os.environ.get("ADVISOR_SCREENSHOTS"):
        page.screenshot(path=f"{directory}/{name}.png", full_page=True)


def review(page: Any) -> Any:
    """From the wizard's first step: open the import area, upload and paste, submit."""
    page.open("/")
    page.page.get_by_text("Start from your config").click()
    page.page.get_by_label("Upload files").set_input_files([str(VPC), str(SERVICE)])
    page.page.get_by_label("Or paste a document").fill(MESSAGE.read_text())
    page.page.get_by_role("button", name="Read the documents").click()
    page.page.get_by_role("heading", name="Review what your documents say").wait_for()
    return page.page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
@pytest.mark.parametrize("width", [1280, 390])
def test_import_review_and_continue(make_page: Any, width: int, javascript: bool) -> None:
    page = make_page(width=width, javascript=javascript)
    shown = review(page)
    shoot(shown, f"import-review-{width}-{'js' if javascript else 'nojs'}")
    assert shown.evaluate("document.documentElement.scrollWidth") <= width
    # A time-out proves no answer, so it no longer disagrees with the template's NAT gateway:
    # it is read as a message whose causes are the hops to check.
    assert shown.get_by_role("heading", name="What the error message means").is_visible()
    assert shown.get_by_role("row", name="Image registry").get_by_text("Docker Hub").is_visible()
    shown.get_by_role("link", name="Continue with the open questions").click()
    shown.get_by_role("heading", name="Step 2 of 6: Network").wait_for()
    assert shown.get_by_label("Private").is_checked()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_import_pages(make_page: Any, scheme: str) -> None:
    page = make_page(scheme=scheme)
    page.open("/import/")
    shoot(page.page, f"import-form-{scheme}")
    assert serious_violations(page.page) == []
    assert serious_violations(review(page)) == []
