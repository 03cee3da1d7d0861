"""Model card text that depends on the manifest."""

from __future__ import annotations

from spinscope.models.card import _post_calibrated


def test_post_calibrated_languages_get_a_warning() -> None:
    manifest = {"any_decoding": {"en": {"split_sentences": True},
                                 "uk": {"split_sentences": False},
                                 "ru": {"split_sentences": True}},
                "max_labels": {"en": 1, "uk": 3, "ru": 3}}
    text = _post_calibrated(manifest)
    assert text.startswith("\nFor uk the decoding") and "compare rates across" in text
    manifest["max_labels"]["ru"] = 1
    assert "For uk and ru" in _post_calibrated(manifest)
    manifest["any_decoding"]["uk"]["split_sentences"] = True
    manifest["max_labels"] = {"uk": 2, "ru": 2}
    assert _post_calibrated(manifest) == ""
