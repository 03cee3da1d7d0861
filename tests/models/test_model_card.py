"""Model card text that depends on the manifest."""

from __future__ import annotations

from spinscope.models.card import language_caveat


def test_post_calibrated_languages_get_a_warning() -> None:
    manifest = {"any_decoding": {"en": {"split_sentences": True},
                                 "uk": {"split_sentences": False},
                                 "ru": {"split_sentences": True}},
                "max_labels": {"en": 1, "uk": 3, "ru": 3}}
    text = language_caveat(manifest)
    assert text.startswith("For uk the decoding") and "compare rates across" in text
    manifest["max_labels"]["ru"] = 1
    assert "For uk and ru" in language_caveat(manifest)
    manifest["any_decoding"]["uk"]["split_sentences"] = True
    manifest["max_labels"] = {"uk": 2, "ru": 2}
    assert language_caveat(manifest) == ""


def test_the_report_carries_the_shipped_models_language_caveat() -> None:
    from spinscope.models.runtime import load_bundle
    from spinscope.report.data import model_card_excerpt
    from spinscope.report.html import _language_caveat

    bundle = load_bundle(None)
    card = model_card_excerpt(str(bundle.manifest["version"]))
    assert card["language_caveat"] == language_caveat(bundle.manifest)

    class Data:
        model_card = card

    html = _language_caveat(Data())  # type: ignore[arg-type]
    assert ("<b>Model caveat.</b>" in html) == bool(card["language_caveat"])
    Data.model_card = {"available": False, "language_caveat": "x"}
    assert _language_caveat(Data()) == ""  # type: ignore[arg-type]
