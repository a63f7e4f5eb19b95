"""What a re-crawl costs: first ingest, unchanged re-ingest, 5 %-changed re-ingest, and the requests an
unchanged site with sitemap lastmod costs at the polite default.

    .venv/bin/python -m bench.recrawl [--pages 300] [--changed 0.05]

A generated site (bench.ingest's varied fixture pages) is served on 127.0.0.1 by a server that counts
requests and answers conditional requests (Last-Modified / If-Modified-Since, as http.server does), with
a sitemap whose lastmod is each file's modification time. Every ingest is `connector ingest URL` in a new
process, so process start, imports and any model loading are included. Politeness is lifted
(CONNECTOR_CRAWL_REQUESTS_PER_SECOND, host concurrency) for the timed runs and left at the default for the
request count. Targets (issue 13): unchanged <= 0.05 x first, 5 % changed <= 0.15 x first. Figures only.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.ingest import build_site

LIFTED = {
    "CONNECTOR_CRAWL_REQUESTS_PER_SECOND": "1000",
    "CONNECTOR_CRAWL_HOST_CONCURRENCY": "4",
    "CONNECTOR_CRAWL_CONCURRENCY": "8",
}


class CountingSite:
    """A static folder on 127.0.0.1 that counts the requests per path."""

    def __init__(self, root: Path) -> None:
        self.hits: Counter[str] = Counter()
        hits, lock = self.hits, threading.Lock()

        class Counting(SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def send_head(self):  # type: ignore[no-untyped-def]
                with lock:
                    hits[self.path.split("?", 1)[0]] += 1
                return super().send_head()

        handler = functools.partial(Counting, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def write_sitemap(root: Path, base: str) -> None:
    """sitemap.xml listing every page with its file's modification time as lastmod."""
    entries = []
    for path in sorted(root.rglob("*.html")):
        stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
        relative = path.relative_to(root).as_posix()
        loc = base if relative == "index.html" else base + relative
        entries.append(f"<url><loc>{loc}</loc><lastmod>{stamp}</lastmod></url>")
    body = "".join(entries)
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    )
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")


def change_pages(root: Path, share: float, seed: int = 11) -> int:
    """Add a paragraph to a share of the pages and move their modification time on (as an edit does)."""
    pages = sorted(p for p in root.rglob("*.html") if p.name != "index.html")
    chosen = random.Random(seed).sample(pages, max(1, round(len(pages) * share)))
    later = time.time() + 5  # clearly after anything the first ingest recorded
    for number, path in enumerate(chosen):
        extra = f"<p>Updated for the spring term: {number} new evening places, booking opens in March.</p>"
        path.write_text(path.read_text(encoding="utf-8").replace("</main>", extra + "</main>", 1))
        os.utime(path, (later, later))
    return len(chosen)


def ingest(url: str, data_dir: Path, pages: int, polite: bool = False) -> float:
    """Seconds for `connector ingest URL` in a new process."""
    env = dict(os.environ, CONNECTOR_DATA_DIR=str(data_dir), CONNECTOR_CRAWL_MAX_PAGES=str(pages + 20))
    env |= {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    if not polite:
        env |= LIFTED
    connector = str(Path(sys.executable).with_name("connector"))
    started = time.perf_counter()
    subprocess.run([connector, "ingest", url], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--changed", type=float, default=0.05)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-recrawl-") as folder:
        root, data = Path(folder) / "site", Path(folder) / "data"
        root.mkdir()
        build_site(root, args.pages)
        site = CountingSite(root)
        write_sitemap(root, site.url)
        first = ingest(site.url, data, args.pages)
        site.hits.clear()
        unchanged = ingest(site.url, data, args.pages)
        unchanged_requests = sum(site.hits.values())
        changed = change_pages(root, args.changed)
        write_sitemap(root, site.url)
        site.hits.clear()
        partly = ingest(site.url, data, args.pages)
        partly_requests = sum(site.hits.values())
        site.hits.clear()
        polite = ingest(site.url, data, args.pages, polite=True)
        polite_requests = dict(site.hits)
        site.server.shutdown()
    print(f"bench.recrawl: {args.pages} pages, politeness lifted except where said")
    print(f"first ingest: {first:.1f} s")
    print(
        f"unchanged re-ingest: {unchanged:.2f} s = {unchanged / first:.3f} x first (target <= 0.05), "
        f"{unchanged_requests} requests"
    )
    print(
        f"{changed} pages changed ({args.changed:.0%}): {partly:.2f} s = {partly / first:.3f} x first "
        f"(target <= 0.15), {partly_requests} requests"
    )
    print(
        f"unchanged site at the polite default: {polite:.2f} s, {sum(polite_requests.values())} requests "
        f"({', '.join(f'{path} {n}' for path, n in sorted(polite_requests.items()))})"
    )


if __name__ == "__main__":
    main()
