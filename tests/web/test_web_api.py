"""The REST API and the JSON twins of the pages, in-process with the fake analyser."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from web_fakes import ARTICLES, TOKEN, analyse_store, fake_analyser

from spinscope.errors import ModelError

TEXT = ("Harbour news\n\nThe so-called reform is a disaster, everyone knows it.\n\n"
        "What about the yacht club? A traitor's deal.")


def test_analyse_text(client: TestClient) -> None:
    r = client.post("/api/v1/analyse", json={"text": TEXT})
    assert r.status_code == 200
    data = r.json()
    expected = fake_analyser(TEXT)
    assert data["model"] == "fake" and data["model_version"] == "fake-1"
    assert len(data["spans"]) == len(expected.spans)
    by_tech = {s["technique"]: s for s in data["spans"]}
    doubt = by_tech["Doubt"]
    assert TEXT[doubt["start"]:doubt["end"]] == doubt["text"] == "so-called"
    assert doubt["group"] == "attack_on_reputation" and doubt["score"] == pytest.approx(0.74)
    assert data["counts"]["Loaded_Language"] == 1
    assert data["paragraphs"][0]["techniques"] == []
    page = client.get(data["result_url"])
    assert page.status_code == 200 and "so-called" in page.text


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "   \n"}, {}, {"text": 5},
                                  {"text": "x", "extra": 1}])
def test_analyse_rejects_bad_bodies(client: TestClient, body: dict[str, object]) -> None:
    r = client.post("/api/v1/analyse", json=body)
    assert r.status_code == 422
    assert r.json()["error"] in ("bad_input", "invalid_request")


def test_analyse_invalid_json(client: TestClient) -> None:
    r = client.post("/api/v1/analyse", content=b"{not json",
                    headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_model_missing_gives_503(make_client: Callable[..., TestClient]) -> None:
    def broken(text: str) -> object:
        raise ModelError("no model bundle installed; reinstall spinscope")

    c = make_client(analyser=broken)
    r = c.post("/api/v1/analyse", json={"text": "hello"})
    assert r.status_code == 503 and "reinstall" in r.json()["detail"]
    page = c.post("/analyse", data={"text": "hello"})
    assert page.status_code == 503 and "reinstall" in page.text
    assert "hello" in page.text  # the pasted text is kept in the form


def test_analysis_page_filters_without_javascript(client: TestClient) -> None:
    r = client.post("/analyse", data={"text": TEXT})
    url = str(r.url.path)
    full = client.get(url).text
    assert full.count('class="off"') == 0
    only = client.get(url, params={"technique": "Doubt"}).text
    rows = only.split("<tbody>")[1]
    assert rows.count('<tr id="f-') == len(fake_analyser(TEXT).spans)
    assert rows.count('class="off"') == len(fake_analyser(TEXT).spans) - 1
    assert 'value="Doubt" data-group="attack_on_reputation" checked' in only
    twin = client.get(url + ".json", params={"group": "distraction"}).json()
    visible = [f["technique"] for f in twin["findings"] if f["visible"]]
    assert visible == ["Whataboutism"]
    assert twin["selection"] == {"techniques": [], "groups": ["distraction"]}


def test_result_pages_expire_with_a_clear_message(client: TestClient) -> None:
    r = client.get("/analysis/doesnotexist")
    assert r.status_code == 404 and "paste the text again" in r.text
    assert client.get("/analysis/doesnotexist.json").json()["error"] == "not_found"


def test_findings_csv_is_formula_safe(client: TestClient) -> None:
    text = "=HYPERLINK(\"x\") a traitor\n\n@cmd what about it"
    r = client.post("/analyse", data={"text": text})
    rows = list(csv.reader(io.StringIO(client.get(str(r.url.path) + "/findings.csv").text)))
    assert rows[0] == ["index", "start", "end", "technique", "group", "score", "paragraph",
                       "text"]
    assert {row[3] for row in rows[1:]} == {"Name_Calling-Labeling", "Whataboutism"}


def test_json_twins_of_every_page(client: TestClient) -> None:
    docs = client.get("/documents.json").json()
    assert docs["total"] == len(ARTICLES)
    doc_id = docs["documents"][0]["id"]
    for path in ["/index.json", "/techniques.json", "/documents.json", f"/documents/{doc_id}.json",
                 "/events.json", "/events/pier-fees.json", "/compare.json"]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("application/json")
        json.loads(r.text)
    assert len(client.get("/techniques.json").json()["techniques"]) == 23


def test_documents_search_filters_and_paging(client: TestClient) -> None:
    r = client.get("/api/v1/documents", params={"q": "disaster"}).json()
    assert {d["outlet"] for d in r["documents"]} == {"harbour-gazette", "marlow-daily"}
    assert r["total"] is None and r["documents"][0]["snippet"]
    r = client.get("/api/v1/documents", params={"lang": "ru"}).json()
    assert [d["outlet"] for d in r["documents"]] == ["veligrad-wire"] and r["total"] == 1
    r = client.get("/api/v1/documents", params={"from": "2031-03-04", "to": "2031-03-05"}).json()
    assert r["total"] == 2
    first = client.get("/api/v1/documents", params={"limit": 3}).json()
    second = client.get("/api/v1/documents", params={"limit": 3, "offset": 3}).json()
    assert first["has_more"] and not second["has_more"]
    assert len(first["documents"]) + len(second["documents"]) == len(ARTICLES)
    assert client.get("/api/v1/documents", params={"limit": 0}).status_code == 422
    bad = client.get("/api/v1/documents", params={"from": "2031-04-01", "to": "2031-03-01"})
    assert bad.status_code == 422 and "after" in bad.json()["detail"]
    page = client.get("/documents", params={"q": "disaster", "outlet": "marlow-daily"})
    assert "Pier fees: the so-called reform" in page.text
    assert '<mark class="hit">disaster</mark>' in page.text
    assert "Council approves new pier fees" not in page.text


def test_document_and_its_analysis(client: TestClient) -> None:
    doc_id = client.get("/api/v1/documents", params={"lang": "en", "q": "fishermen"}
                        ).json()["documents"][0]["id"]
    doc = client.get(f"/api/v1/documents/{doc_id[:6]}").json()
    assert doc["id"] == doc_id and "fishermen" in doc["text"].lower()
    analysis = client.get(f"/api/v1/documents/{doc_id}/analysis").json()
    assert analysis["document_id"] == doc_id and analysis["counts"] == {
        "Loaded_Language": 1, "Exaggeration-Minimisation": 1}
    assert analysis["source"]["outlet"] == "harbour-gazette"
    r = client.get("/api/v1/documents/zzzzzzzz")
    assert r.status_code == 404 and "spinscope ls" in r.json()["detail"]
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200 and "<mark" in page.text


def test_stored_results_are_preferred(make_client: Callable[..., TestClient]) -> None:
    calls: list[str] = []

    def counting(text: str) -> object:
        calls.append(text)
        return fake_analyser(text)

    c = make_client(analyser=counting)
    store = c.app.state.ctx.corpus._store  # type: ignore[attr-defined]
    analyse_store(store)
    doc_id = c.get("/api/v1/documents").json()["documents"][0]["id"]
    assert c.get(f"/api/v1/documents/{doc_id}/analysis").json()["model_version"] == "fake-1"
    assert c.get("/events/pier-fees").status_code == 200
    assert calls == []  # nothing analysed on the fly


def test_export_streams_every_row(client: TestClient) -> None:
    r = client.get("/api/v1/export/documents", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(ARTICLES) and "text" not in rows[0]
    r = client.get("/api/v1/export/documents",
                   params={"format": "jsonl", "with_text": "true", "lang": "en"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert len(lines) == 3 and all("text" in x for x in lines)


def test_events_from_tags_side_by_side(client: TestClient) -> None:
    events = client.get("/api/v1/events").json()["events"]
    pier = next(e for e in events if e["id"] == "pier-fees")
    assert pier["articles"] == 3 and pier["origin"] == "tags"
    assert pier["outlets"] == ["harbour-gazette", "marlow-daily", "veligrad-wire"]
    view = client.get("/api/v1/events/pier-fees").json()
    cols = {c["outlet"]["id"]: c for c in view["columns"]}
    assert cols["marlow-daily"]["counts"]["Doubt"] == 1
    assert cols["veligrad-wire"]["spans"] == 0
    assert {t["technique"] for t in view["techniques"]} >= {"Doubt", "Loaded_Language"}
    marlow = next(r for r in view["table"] if r["outlet"]["id"] == "marlow-daily")
    assert {c["technique"]: c["count"] for c in marlow["cells"]}["Doubt"] == 1
    page = client.get("/events/pier-fees")
    assert page.text.count('class="panel outlet-col"') == 3
    assert client.get("/api/v1/events/nope").status_code == 404


def test_compare_needs_stored_results(client: TestClient) -> None:
    r = client.get("/api/v1/compare").json()
    assert r["groups"] == [] and "analyze-corpus" in r["empty"]
    store = client.app.state.ctx.corpus._store  # type: ignore[attr-defined]
    analyse_store(store)
    client.app.state.ctx.corpus._version = None  # type: ignore[attr-defined]
    r = client.get("/api/v1/compare", params={"by": "lang"}).json()
    assert {g["key"] for g in r["groups"]} == {"en", "ru"}
    en = next(g for g in r["groups"] if g["key"] == "en")
    assert en["documents"] == 3
    r = client.get("/api/v1/compare", params={"by": "outlet", "event": "pier-fees"}).json()
    assert {g["key"] for g in r["groups"]} == {"harbour-gazette", "marlow-daily",
                                               "veligrad-wire"}
    csv_text = client.get("/api/v1/export/comparison", params={"by": "lang"}).text
    assert csv_text.splitlines()[0] == ("group,technique,rate_per_1000_words,share_of_articles,"
                                        "ci_low,ci_high")
    page = client.get("/compare", params={"by": "lang"})
    assert page.status_code == 200 and "Per technique" in page.text
    assert client.get("/api/v1/compare", params={"by": "colour"}).status_code == 422


def test_no_store_gives_friendly_pages(make_client: Callable[..., TestClient]) -> None:
    c = make_client(with_store=False)
    for path in ("/documents", "/events", "/compare"):
        r = c.get(path)
        assert r.status_code == 200 and "spinscope ingest" in r.text
    r = c.get("/api/v1/documents")
    assert r.status_code == 404 and "no corpus store" in r.json()["detail"]
    assert c.get("/api/v1/health").json()["store"] is False
    assert c.post("/api/v1/analyse", json={"text": TEXT}).status_code == 200


def test_openapi_spec_and_docs_page(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for p in ("/api/v1/analyse", "/api/v1/analyse-url", "/api/v1/ingest", "/api/v1/documents",
              "/api/v1/documents/{doc_id}", "/api/v1/events", "/api/v1/compare",
              "/api/v1/export/documents", "/api/v1/health", "/api/v1/techniques"):
        assert p in paths, p
    assert paths["/api/v1/ingest"]["post"]["security"]
    assert not any(p.startswith("/documents") for p in paths)  # HTML pages stay out
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "POST /api/v1/analyse" in docs.text


@pytest.mark.network
def test_ingest_with_token(make_client: Callable[..., TestClient], local_site: str) -> None:
    c = make_client(with_store=False, permissive_fetch=True)
    r = c.post("/api/v1/ingest", json={"sources": [local_site], "tags": ["event:quay"]},
               headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert r.json()["added"] == 1 and r.json()["failed"] == 0
    docs = c.get("/api/v1/documents").json()["documents"]
    assert len(docs) == 1 and docs[0]["tags"] == ["event:quay"]
    again = c.post("/api/v1/ingest", json={"sources": [local_site]},
                   headers={"X-API-Key": TOKEN}).json()
    assert again["added"] == 0  # idempotent


@pytest.mark.network
def test_analyse_url(make_client: Callable[..., TestClient], local_site: str) -> None:
    c = make_client(permissive_fetch=True)
    r = c.post("/api/v1/analyse-url", json={"url": local_site})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["source"]["url"] == local_site and data["counts"]["Name_Calling-Labeling"] >= 1
    page = c.post("/analyse", data={"url": local_site})
    assert page.status_code == 200 and "Article from the web" in page.text
    off = make_client(permissive_fetch=True, analyse_urls=False)
    assert off.post("/api/v1/analyse-url", json={"url": local_site}).status_code == 403


def test_dashboard_charts_are_svg_images(client: TestClient) -> None:
    assert client.get("/charts/rates.svg").status_code == 404  # nothing analysed yet
    analyse_store(client.app.state.ctx.corpus._store)  # type: ignore[attr-defined]
    client.app.state.ctx.corpus._version = None  # type: ignore[attr-defined]
    page = client.get("/compare", params={"by": "outlet"})
    assert '<img class="chart" src="/charts/rates.svg?by=outlet"' in page.text
    for name in ("rates", "heatmap"):
        r = client.get(f"/charts/{name}.svg", params={"by": "outlet"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        assert r.text.lstrip().startswith("<svg") and "<script" not in r.text
        # inline styles are allowed for the image only, never scripts
        csp = r.headers["content-security-policy"]
        assert csp == "default-src 'none'; style-src 'unsafe-inline'"
    assert "evil&lt;script&gt;" in client.get("/charts/rates.svg").text  # labels escaped
    assert client.get("/charts/pie.svg").status_code == 404


def test_clustered_events_take_precedence_over_tags(client: TestClient) -> None:
    from spinscope.events.records import EventRecord

    store = client.app.state.ctx.corpus._store  # type: ignore[attr-defined]
    analyse_store(store)
    client.app.state.ctx.corpus._version = None  # type: ignore[attr-defined]
    docs = {d["outlet"]: d["id"] for d in client.get("/api/v1/documents").json()["documents"]}
    members = (docs["harbour-gazette"], docs["marlow-daily"])
    with store.transaction():
        build = store.start_event_build("test-embedder", {})
        store.replace_events(build, [EventRecord(
            "ev-0123456789", "Pier · fees · council", ("pier", "fees"), members,
            "2031-03-03", "2031-03-04", ("harbour-gazette", "marlow-daily"), ("en",))],
            {"events": 1})
    events = client.get("/api/v1/events").json()["events"]
    assert [(e["id"], e["origin"], e["articles"]) for e in events] == [
        ("ev-0123456789", "clustering", 2)]
    view = client.get("/api/v1/events/ev-0123456789").json()
    assert {c["outlet"]["id"] for c in view["columns"]} == {"harbour-gazette", "marlow-daily"}
    page = client.get("/events/ev-0123456789")
    assert "Pier · fees · council" in page.text and "Key terms: pier, fees" in page.text
    r = client.get("/api/v1/compare", params={"by": "outlet", "event": "ev-0123456789"}).json()
    assert {g["key"] for g in r["groups"]} == {"harbour-gazette", "marlow-daily"}


def test_result_cache_is_bounded(make_client: Callable[..., TestClient],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from spinscope.web import analysis

    monkeypatch.setattr(analysis, "CACHE_CHARS", 250)
    c = make_client(result_cache=3)
    urls = [c.post("/api/v1/analyse", json={"text": f"text number {i} " * 5}).json()
            ["result_url"] for i in range(5)]
    assert [c.get(u).status_code for u in urls] == [404, 404, 200, 200, 200]
    big = c.post("/api/v1/analyse", json={"text": "x" * 200}).json()["result_url"]
    assert c.get(big).status_code == 200 and c.get(urls[2]).status_code == 404
