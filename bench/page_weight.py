"""Page weight: bytes transferred, compressed, for a first visit and for a step swap.

    .venv/bin/python bench/page_weight.py [--json FILE]

Against the advisor served the production way (bench/prodserver.py: gunicorn, WhiteNoise's
precompressed static files, pages compressed with brotli or gzip), Debian's Chromium with an
empty cache opens the wizard, and separately a result page; then, on the wizard, it clicks
"Next" (an htmx swap). Every response's transfer is read from the DevTools protocol
(Network.loadingFinished's encodedDataLength: compressed body plus headers, as on the wire);
the body alone comes from Playwright's request sizes. Target: a first visit transfers at most
100 KB.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_server import ANSWERS
from prodserver import Server, production_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TARGET_FIRST_VISIT = 100 * 1000


class Transfers:
    """Bytes per request on one page, from CDP and from Playwright."""

    def __init__(self, page: Any) -> None:
        self.wire: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.responses: list[Any] = []
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        session.on("Network.requestWillBeSent",
                   lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        session.on("Network.loadingFinished",
                   lambda e: self.wire.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        page.on("response", lambda response: self.responses.append(response))

    def reset(self) -> None:
        self.wire.clear()
        self.responses.clear()

    def summary(self, base_url: str) -> dict[str, Any]:
        bodies = sum(r.request.sizes()["responseBodySize"] for r in self.responses)
        return {
            "requests": len(self.wire),
            "wire_bytes": sum(self.wire.values()),
            "body_bytes": bodies,
            "by_url": {self.urls.get(rid, rid).replace(base_url, ""): size
                       for rid, size in sorted(self.wire.items(), key=lambda kv: -kv[1])},
        }


def measure(server: Server) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path in [("wizard, first visit", "/"),
                           ("result page, first visit", f"/result/?{ANSWERS}")]:
            context = browser.new_context()  # a fresh profile: nothing cached
            page = context.new_page()
            transfers = Transfers(page)
            page.goto(server.base_url + path)
            page.wait_for_load_state("networkidle")
            figures[name] = transfers.summary(server.base_url)
            if name.startswith("wizard"):
                page.goto(server.base_url + "/?step=network")
                page.wait_for_load_state("networkidle")
                transfers.reset()
                with page.expect_response(lambda r: "step=endpoints" in r.url):
                    page.get_by_role("button", name="Next: VPC endpoints").click()
                page.wait_for_load_state("networkidle")
                figures["step swap (Next, htmx)"] = transfers.summary(server.base_url)
            context.close()
        browser.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    with production_server() as server:
        figures = measure(server)
    print("Chromium (empty cache) against gunicorn + WhiteNoise, production settings:")
    for name, figure in figures.items():
        target = ""
        if "first visit" in name:
            verdict = "meets" if figure["wire_bytes"] <= TARGET_FIRST_VISIT else "MISSES"
            target = f"  (target <= {TARGET_FIRST_VISIT // 1000} KB: {verdict})"
        print(f"  {name:26} {figure['wire_bytes'] / 1000:6.1f} KB on the wire "
              f"({figure['body_bytes'] / 1000:.1f} KB of bodies) in {figure['requests']} "
              f"requests{target}")
        for url, size in list(figure["by_url"].items())[:8]:
            print(f"      {size:7d}  {url[:90]}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
