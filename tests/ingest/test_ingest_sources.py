"""Ingest through the CLI: URLs, feeds, sitemaps, WARC, exports and bad input per item."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from http_fixtures import FixtureServer, Route, page, serve

from spinscope.cli.main import cli
from spinscope.store import open_store

pytestmark = pytest.mark.network


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with serve() as s:
        yield s


def ingest(store: Path, *args: str) -> tuple[Result, dict]:
    # No politeness delay between requests to the test server.
    runner = CliRunner(env={"SPINSCOPE_HOST_DELAY": "0"})
    result = runner.invoke(cli, ["ingest", "--store", str(store), "--json", "-q", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    start = result.output.index("{")
    return result, json.loads(result.output[start:])


def rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<item><title>{t}</title><link>{link}</link>"
                   "<pubDate>Tue, 04 Mar 2031 09:00:00 GMT</pubDate></item>"
                   for t, link in items)
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Test feed</title>{body}"
            "</channel></rss>").encode()


def warc_bytes(pages: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return buf.getvalue()


def test_loopback_urls_need_the_flag(server: FixtureServer, tmp_path: Path) -> None:
    server.routes["/a"] = Route(body=page("Local page", "A local article about the pier."))
    store = tmp_path / "s.sqlite"
    result, report = ingest(store, server.url("/a"))
    assert report["added"] == 0 and report["failed"] == 1
    assert "private, loopback or link-local" in report["failures"][0]["reason"]
    assert result.exit_code == 2  # nothing could be ingested
    assert server.hits("/a") == 0
    _, report = ingest(store, "--allow-private-addresses", server.url("/a"))
    assert report["added"] == 1


def test_feed_sitemap_and_url_idempotency(server: FixtureServer, tmp_path: Path) -> None:
    for i in range(4):
        server.routes[f"/n/{i}"] = Route(body=page(f"Story {i}", f"Story number {i} text."))
    server.routes["/old"] = Route(301, headers={"Location": "/n/0"})
    server.routes["/feed.xml"] = Route(body=rss([("S0", server.url("/n/0")),
                                                 ("S1", server.url("/n/1"))]),
                                       headers={"Content-Type": "application/rss+xml"})
    server.routes["/sitemap.xml"] = Route(body=(
        "<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<sitemap><loc>{server.url('/sm1.xml')}</loc></sitemap></sitemapindex>").encode(),
        headers={"Content-Type": "application/xml"})
    server.routes["/sm1.xml"] = Route(body=(
        "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<url><loc>{server.url('/n/2')}</loc></url><url><loc>{server.url('/n/3')}</loc></url>"
        "</urlset>").encode(), headers={"Content-Type": "application/xml"})
    store = tmp_path / "s.sqlite"
    _, report = ingest(store, "--allow-private-addresses", "--tag", "t",
                       server.url("/feed.xml"), server.url("/sitemap.xml"))
    assert (report["added"], report["failed"]) == (4, 0), report
    with open_store(str(store)) as st:
        arts = list(st.iter_articles())
        assert {a.title for a in arts} == {f"Story {i}" for i in range(4)}
        first = next(a for a in arts if a.title == "Story 0")
        assert first.published == "2031-03-04T09:00:00+00:00"  # from the feed entry
        raw = st.get_raw(first.raw_hash or "")
        assert raw is not None and raw.data is not None and b"Story number 0" in raw.data
    hits_before = server.hits("/n/0")
    # Same feed again, and an old URL that redirects to a stored article: nothing new.
    _, report = ingest(store, "--allow-private-addresses", server.url("/feed.xml"),
                       server.url("/old"))
    assert (report["added"], report["duplicates"]) == (0, 3), report
    assert server.hits("/n/0") == hits_before + 1  # only via the redirect, once
    _, report = ingest(store, "--allow-private-addresses", server.url("/old"))
    assert (report["added"], report["duplicates"]) == (0, 1)
    assert server.hits("/old") == 1  # known alias: not fetched again


def test_bad_input_is_reported_per_item(server: FixtureServer, tmp_path: Path) -> None:
    server.routes["/bad-feed.xml"] = Route(
        body=b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title><item>"
             b"<title>unclosed", headers={"Content-Type": "application/rss+xml"})
    server.routes["/huge.html"] = Route(body=b"<html><body>" + b"<p>word </p>" * 4_200_000)
    server.routes["/fine.html"] = Route(body=page("Fine", "A page that is fine."))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A good plain text article about a harbour.", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8)
    (folder / "latin1.csv").write_bytes("title,text\nok,Plain ASCII row\nbad,caf\xe9 au lait\n"
                                        .encode("latin-1"))
    warc = warc_bytes([(f"https://dailyclarion.example/{i}", page(f"W{i}", f"Archived {i}."))
                       for i in range(3)])
    (folder / "cut.warc.gz").write_bytes(warc[: len(warc) * 5 // 6])
    store = tmp_path / "s.sqlite"
    result, report = ingest(store, "--allow-private-addresses", str(folder),
                            server.url("/bad-feed.xml"), server.url("/huge.html"),
                            server.url("/fine.html"))
    reasons = {f["location"].replace(str(folder), "IN"): f["reason"] for f in report["failures"]}
    assert "binary content" in reasons["IN/binary.txt"]
    assert "not valid UTF-8" in reasons["IN/latin1.csv#line=3"]
    assert "--encoding" in reasons["IN/latin1.csv#line=3"]
    assert any(k.startswith("IN/cut.warc.gz") and "truncated or corrupt" in v
               for k, v in reasons.items()), reasons
    assert "malformed feed" in reasons[server.url("/bad-feed.xml")]
    assert "size cap" in reasons[server.url("/huge.html")]
    with open_store(str(store)) as st:
        titles = {a.title for a in st.iter_articles()}
    # good.txt, the ASCII CSV row, the intact WARC records and fine.html are in.
    assert {"A good plain text article about a harbour.", "ok", "Fine"} <= titles
    assert {"W0", "W1"} <= titles
    assert result.exit_code == 0
    # The same CSV with the right encoding: the bad row is read.
    _, report = ingest(store, "--encoding", "latin-1", str(folder / "latin1.csv"))
    assert report["added"] == 1 and report["failed"] == 0


def test_exports_with_column_mapping_and_url_lists(server: FixtureServer,
                                                   tmp_path: Path) -> None:
    server.routes["/g/1"] = Route(body=page("Listed", "An article listed by URL."))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mc.csv").write_text(
        "stories_id,publish_date,title,url,media_name,body\n"
        "11,2031-03-01 08:00:00,Mapped,https://zsn.example/a,zsn,Текст статьи о порте.\n",
        "utf-8")
    (folder / "gdelt.csv").write_text(f"DATE,SOURCEURL\n20310301,{server.url('/g/1')}\n",
                                      "utf-8")
    store = tmp_path / "s.sqlite"
    _, report = ingest(store, "--allow-private-addresses", "--map", "text=body",
                       str(folder / "mc.csv"), str(folder / "gdelt.csv"))
    assert (report["added"], report["failed"]) == (2, 0), report
    with open_store(str(store)) as st:
        arts = {a.title: a for a in st.iter_articles()}
    mapped = arts["Mapped"]
    assert (mapped.outlet, mapped.published, mapped.text) == (
        "zsn", "2031-03-01T08:00:00", "Текст статьи о порте.")
    assert mapped.metadata["source_id"] == "11"
    assert arts["Listed"].url == server.url("/g/1")
    bad = CliRunner().invoke(cli, ["ingest", "--store", str(store), "--map", "nope=x", "a"])
    assert bad.exit_code != 0


def test_urls_from_file(server: FixtureServer, tmp_path: Path) -> None:
    server.routes["/u/1"] = Route(body=page("From list", "An article from a URL list."))
    server.routes["/u/2"] = Route(body=page("Also listed", "A second article from the list."))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# weekly list\n{server.url('/u/1')}\n\n{server.url('/u/2')}\n", "utf-8")
    _, report = ingest(tmp_path / "s.sqlite", "--allow-private-addresses", "--urls-from",
                       str(urls))
    assert (report["added"], report["failed"]) == (2, 0)
