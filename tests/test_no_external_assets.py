"""The app works offline: pages reference no outside URL, and their assets are served locally.

County networks are often cut off from the internet (and CDNs may be blocked),
so every stylesheet, script, icon and link must come from the app itself.
The HTML is read with the stdlib ``html.parser``: each attribute that makes the
browser fetch or navigate (``src``, ``href``, ...), plus ``url(...)`` inside
``style`` attributes and ``<style>`` blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "srcset", "background"}
ASSET_PREFIXES = ("/static/", "/bootstrap/static/")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)

ADMIN_PAGES = [
    ("/", 200),
    ("/admin/users/", 200),
    ("/admin/users/new", 200),
    ("/admin/units/", 200),
    ("/admin/units/new", 200),
    ("/admin/audit", 200),
    ("/account", 200),
    ("/no-such-page", 404),
]


@dataclass(frozen=True)
class Reference:
    tag: str
    attribute: str
    url: str

    def __str__(self) -> str:
        return f"<{self.tag} {self.attribute}={self.url!r}>"


def css_urls(css: str) -> list[str]:
    return [match.group(2).strip() for match in CSS_URL.finditer(CSS_COMMENT.sub("", css))]


class ReferenceScanner(HTMLParser):
    """Collects every URL an HTML page points at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[Reference] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
                self.references.extend(Reference(tag, name, url.strip()) for url in urls)
            elif name == "style":
                self.references.extend(Reference(tag, "style url(", url) for url in css_urls(value))
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.references.extend(Reference("style", "url(", url) for url in css_urls(data))


def references_in(html: str) -> list[Reference]:
    scanner = ReferenceScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.references


def is_external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//", "\\\\", "/\\", "\\/"))


def external_references(html: str) -> list[str]:
    return [str(ref) for ref in references_in(html) if is_external(ref.url)]


def local_asset_paths(html: str) -> list[str]:
    paths = {ref.url.split("#")[0] for ref in references_in(html) if ref.url.startswith(ASSET_PREFIXES)}
    return sorted(paths)


# --- the scanner itself -------------------------------------------------------
def test_scanner_finds_external_references():
    html = """<html><head>
      <link rel="stylesheet" href="https://cdn.example.com/bootstrap.css">
      <script src="//cdn.example.com/x.js"></script>
      <style>body { background: url('http://example.com/bg.png'); } /* url(https://ignored.example) */</style>
    </head><body>
      <img src="/static/ok.png" srcset="/static/a.png 1x, https://example.com/b.png 2x">
      <div style="background-image: url(https://example.com/c.png)"></div>
      <a href="#main">skip</a><a href="/login">login</a>
    </body></html>"""
    assert external_references(html) == [
        "<link href='https://cdn.example.com/bootstrap.css'>",
        "<script src='//cdn.example.com/x.js'>",
        "<style url(='http://example.com/bg.png'>",
        "<img srcset='https://example.com/b.png'>",
        "<div style url(='https://example.com/c.png'>",
    ]
    assert local_asset_paths(html) == ["/static/a.png", "/static/ok.png"]


# --- the app's pages ----------------------------------------------------------
def test_login_page_references_nothing_external(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert references_in(html), "the scanner found no references at all on the login page"
    assert external_references(html) == []


def test_login_page_assets_are_served_by_the_app(client):
    html = client.get("/login").get_data(as_text=True)
    assets = local_asset_paths(html)
    assert any(path.endswith(".css") for path in assets), f"no local stylesheet referenced: {assets}"
    assert any(path.endswith(".js") for path in assets), f"no local script referenced: {assets}"
    for path in assets:
        response = client.get(path)
        try:
            assert response.status_code == 200, f"{path} answered {response.status_code}"
            assert response.get_data(), f"{path} is empty"
            if path.split("?")[0].endswith(".css"):
                external = [url for url in css_urls(response.get_data(as_text=True)) if is_external(url)]
                assert external == [], f"{path} fetches from outside: {external}"
        finally:
            response.close()


@pytest.mark.parametrize(("path", "status"), ADMIN_PAGES)
def test_admin_pages_reference_nothing_external(auth, client, path, status):
    auth.login_as("admin")
    response = client.get(path)
    assert response.status_code == status, f"GET {path} answered {response.status_code}"
    html = response.get_data(as_text=True)
    assert "<html" in html.lower()
    assert external_references(html) == [], f"GET {path} references outside URLs"
