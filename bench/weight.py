"""Benchmark: what a visit transfers, in production mode (DEBUG off, static files collected
into a temporary folder with whitenoise's compressed, hashed storage and served by its
middleware), for a browser that accepts gzip and brotli.

A first visit fetches the page and everything it links to (stylesheets, scripts, icons,
images and fonts named in the stylesheets); a repeat visit fetches the page again and only
the files whose Cache-Control does not let the browser keep them (static files must be
cached as immutable). Bytes are the response bodies as sent plus their headers. Pages: the
landing page for a visitor, and "groups near me" for a demo member.

Run from the repository root with the services up: ``make bench BENCH=weight``. The last
line is JSON.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    DJANGO_SETTINGS_MODULE="momcircle.settings",
    DJANGO_ENV="production",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="127.0.0.1",
)

import django  # noqa: E402

django.setup()

# isort: split
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from momcircle.demo.city import EMAIL_DOMAIN  # noqa: E402

FIRST_KB_GOAL = 120
REPEAT_KB_GOAL = 15
ACCEPT = "gzip, br"
LINKED = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"')
IN_CSS = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def fetch(client: Client, url: str) -> tuple[int, bytes, dict]:
    """Bytes on the wire (body as sent, encoded, plus headers), body decoded, headers."""
    response = client.get(url, secure=True, headers={"accept-encoding": ACCEPT})
    assert response.status_code == 200, (url, response.status_code)
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    size = len(raw) + len(response.serialize_headers())
    encoding = response.headers.get("Content-Encoding", "")
    if encoding == "br":
        import brotli

        raw = brotli.decompress(raw)
    elif encoding == "gzip":
        import gzip

        raw = gzip.decompress(raw)
    return size, raw, dict(response.headers)


def linked_files(page: str, html: str) -> list[str]:
    return [urljoin(page, url) for url in LINKED.findall(html) if not url.startswith("http")]


def is_immutable(headers: dict) -> bool:
    return "immutable" in headers.get("Cache-Control", "")


def encoding_of(headers: dict) -> str:
    return headers.get("Content-Encoding", "identity")


def visit(client: Client, page: str) -> dict:
    """A first and a repeat visit to `page`: their bytes, and each file's."""
    page_bytes, html, page_headers = fetch(client, page)
    files: dict[str, tuple[int, dict]] = {}
    queue = linked_files(page, html.decode())
    while queue:
        url = queue.pop(0)
        if url in files or "data:" in url:
            continue
        size, body, headers = fetch(client, url)
        files[url] = (size, headers)
        if url.split("?")[0].endswith(".css"):
            queue += [urljoin(url, found) for found in IN_CSS.findall(body.decode())]
    print(f"{page}: HTML {page_bytes / 1024:.1f} KB ({encoding_of(page_headers)})")
    for url, (size, headers) in files.items():
        print(
            f"  {url}: {size / 1024:.1f} KB ({encoding_of(headers)}),"
            f" Cache-Control: {headers.get('Cache-Control', '-')}"
        )
    again = sum(size for size, headers in files.values() if not is_immutable(headers))
    return {
        "first": page_bytes + sum(size for size, _ in files.values()),
        "repeat": page_bytes + again,
        "html": page_bytes,
        "not_immutable": [url for url, (_, headers) in files.items() if not is_immutable(headers)],
    }


def main() -> None:
    with TemporaryDirectory() as static_root, override_settings(STATIC_ROOT=static_root):
        print("Collecting static files (compressed, hashed)…", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        visitor = Client(HTTP_HOST="127.0.0.1")
        member = Client(HTTP_HOST="127.0.0.1")
        member.force_login(get_user_model().objects.get(email=f"demo1@{EMAIL_DOMAIN}"))
        landing = visit(visitor, "/")
        browse = visit(member, "/groups/")
    first_kb = max(landing["first"], browse["first"]) / 1024
    repeat_kb = max(landing["repeat"], browse["repeat"]) / 1024
    print(
        f"First visit {first_kb:.1f} KB (goal {FIRST_KB_GOAL}), "
        f"repeat {repeat_kb:.1f} KB (goal {REPEAT_KB_GOAL}): the heavier of the two pages"
    )
    print(
        json.dumps(
            {
                "first_kb": round(first_kb, 1),
                "repeat_kb": round(repeat_kb, 1),
                "landing_first_kb": round(landing["first"] / 1024, 1),
                "landing_repeat_kb": round(landing["repeat"] / 1024, 1),
                "browse_first_kb": round(browse["first"] / 1024, 1),
                "browse_repeat_kb": round(browse["repeat"] / 1024, 1),
                "not_immutable": sorted({*landing["not_immutable"], *browse["not_immutable"]}),
            }
        )
    )


if __name__ == "__main__":
    main()
