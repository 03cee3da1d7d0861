"""Hostile input comes out escaped; CSP and headers everywhere; tokens, limits, SSRF."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from web_fakes import TOKEN, XSS, XSS_URL

RAW_PAYLOADS = ["<script>alert", "<img src=x", "<script>alert(2)"]


class _Tags(HTMLParser):
    """Collects what the browser would see as elements and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        names = {k for k, _ in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag in ("style", "iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}> element")
        if tag == "img" and dict(attrs).get("src", "") == "x":
            self.problems.append("injected <img>")
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append(f"event handler attribute {k}")
            if k == "style":
                self.problems.append("style attribute (needs 'unsafe-inline')")
            if k in ("href", "src", "action") and v and \
                    v.strip().lower().startswith(("javascript:", "data:text")):
                self.problems.append(f"{k}={v!r}")


def assert_escaped(html: str) -> None:
    for raw in RAW_PAYLOADS:
        assert raw not in html, f"unescaped payload {raw!r} in page"
    parser = _Tags()
    parser.feed(html)
    assert parser.problems == []


def check_csp(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"


PAGES = ["/", "/?example=1", "/techniques", "/documents", "/documents?q=traitor", "/events",
         "/compare", "/api/v1/docs", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_csp_and_no_inline_code(client: TestClient, path: str) -> None:
    r = client.get(path)
    check_csp(r)
    if r.headers["content-type"].startswith("text/html"):
        assert_escaped(r.text)


def test_csp_on_api_errors_and_static(client: TestClient) -> None:
    for r in (client.get("/static/spinscope.css"), client.get("/api/v1/documents/nope"),
              client.post("/api/v1/analyse", json={"text": ""}),
              client.post("/api/v1/ingest", json={"sources": ["https://a.example/"]})):
        check_csp(r)


def test_pasted_xss_is_escaped_in_result_page(client: TestClient) -> None:
    text = f"{XSS} headline\n\nA traitor wrote {XSS} and a disaster </mark></p><b>bold</b>."
    r = client.post("/analyse", data={"text": text})
    assert r.status_code == 200 and "/analysis/" in str(r.url)
    assert_escaped(r.text)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in r.text
    assert "<b>bold</b>" not in r.text
    # the JSON twin carries the raw text (JSON is not HTML), with the right content type
    j = client.get(str(r.url.path) + ".json")
    assert j.headers["content-type"].startswith("application/json")
    assert XSS in j.text.replace("\\\"", '"')


def test_stored_xss_in_title_outlet_url_and_text_is_escaped(client: TestClient) -> None:
    listing = client.get("/documents")
    assert_escaped(listing.text)
    assert "evil&lt;script&gt;" in listing.text
    ids = [d["id"] for d in client.get("/documents.json").json()["documents"]
           if d["outlet"].startswith("evil")]
    page = client.get(f"/documents/{ids[0]}")
    assert page.status_code == 200
    assert_escaped(page.text)
    # the hostile URL is shown as text and never as a javascript:/broken-out href
    assert 'href="https://evil.example/&#34;&gt;&lt;script&gt;' in page.text or \
        "https://evil.example/&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page.text
    for path in ("/documents?q=traitor", "/events", "/events/xss", "/compare?by=outlet"):
        r = client.get(path)
        assert_escaped(r.text)


def test_javascript_urls_are_never_links(make_client: Callable[..., TestClient]) -> None:
    from spinscope.web.templating import safe_href

    assert safe_href("javascript:alert(1)") is None
    assert safe_href(" JaVaScRiPt:alert(1)") is None
    assert safe_href("data:text/html,<script>") is None
    assert safe_href("https://ok.example/a") == "https://ok.example/a"
    assert XSS_URL.startswith("https://")


def test_write_endpoints_need_the_token(client: TestClient) -> None:
    body = {"sources": ["https://a.example/feed.xml"]}
    r = client.post("/api/v1/ingest", json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/v1/ingest", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.json()["detail"] == "wrong API token"


def test_no_token_configured_means_no_writes(make_client: Callable[..., TestClient]) -> None:
    c = make_client(api_token=None)
    r = c.post("/api/v1/ingest", json={"sources": ["https://a.example/"]},
               headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and "SPINSCOPE_API_TOKEN" in r.json()["detail"]


def test_read_only_refuses_writes_even_with_token(make_client: Callable[..., TestClient]) -> None:
    c = make_client(read_only=True)
    r = c.post("/api/v1/ingest", json={"sources": ["https://a.example/"]},
               headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    assert c.get("/api/v1/health").json()["read_only"] is True
    assert "read-only" in c.get("/").text


def test_ingest_refuses_local_paths(client: TestClient) -> None:
    r = client.post("/api/v1/ingest", json={"sources": ["/etc/passwd"]},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and "http" in r.json()["detail"]


def test_body_size_limit(make_client: Callable[..., TestClient]) -> None:
    c = make_client(max_body_bytes=4096)
    r = c.post("/api/v1/analyse", json={"text": "x " * 5000})
    assert r.status_code == 413 and "larger than 4096 bytes" in r.json()["detail"]
    check_csp(r)
    r = c.post("/analyse", data={"text": "y" * 5000})
    assert r.status_code == 413


def test_text_length_limit(make_client: Callable[..., TestClient]) -> None:
    c = make_client(max_text_chars=100)
    r = c.post("/api/v1/analyse", json={"text": "word " * 50})
    assert r.status_code == 413 and "limit is 100" in r.json()["detail"]
    r = c.post("/analyse", data={"text": "word " * 50})
    assert r.status_code == 413 and "limit is 100" in r.text
    assert "word word" in r.text  # the form keeps what the user pasted


def test_rate_limit_answers_429_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    c = make_client(rate_limit=60, rate_burst=3)
    codes = [c.get("/api/v1/health").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    r = c.get("/api/v1/health")
    assert int(r.headers["retry-after"]) >= 1
    check_csp(r)
    assert r.json()["error"] == "rate_limited"
    page = c.get("/", headers={"accept": "text/html,*/*"})
    assert page.status_code == 429 and "Wait" in page.text
    assert c.get("/static/spinscope.css").status_code == 200  # static files are not limited


@pytest.mark.network
def test_url_analysis_refuses_loopback(client: TestClient, local_site: str,
                                       site_hits: list[str]) -> None:
    r = client.post("/api/v1/analyse-url", json={"url": local_site})
    assert r.status_code == 422 and r.json()["error"] == "unsafe_url"
    assert site_hits == []  # the server was never contacted
    page = client.post("/analyse", data={"url": local_site})
    assert page.status_code == 422 and "private, loopback or link-local" in page.text
    assert site_hits == []


@pytest.mark.network
def test_ingest_refuses_loopback(client: TestClient, local_site: str,
                                 site_hits: list[str]) -> None:
    r = client.post("/api/v1/ingest", json={"sources": [local_site]},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    report = r.json()
    assert report["added"] == 0 and report["failed"] == 1
    assert "private, loopback or link-local" in report["failures"][0]["reason"]
    assert site_hits == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a",
                                 "http://169.254.169.254/latest/meta-data/",
                                 "http://[::1]/", "http://0.0.0.0/", "gopher://x/",
                                 "javascript:alert(1)"])
def test_url_analysis_refuses_unsafe_urls(client: TestClient, url: str) -> None:
    r = client.post("/api/v1/analyse-url", json={"url": url})
    assert r.status_code == 422, r.text
    page = client.post("/analyse", data={"url": url})
    assert page.status_code == 422
    assert_escaped(page.text)
