"""Training code path: losses, and a tiny end-to-end run (train, resume, export, analyze).

Needs the ``[train]`` extra (torch, transformers, onnx); uses fictional documents and a
random 2-layer encoder, never the research corpora.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from spinscope.core.document import Document
from spinscope.core.span import Span
from spinscope.corpora.base import GoldDocument

pytestmark = pytest.mark.train
torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("onnx")


def _doc(i: int, text: str, spans: list[tuple[str, str | None]], labels: tuple = ()) -> \
        GoldDocument:
    out = []
    for frag, label in spans:
        a = text.index(frag)
        out.append(Span(a, a + len(frag), label))
    return GoldDocument(Document(f"d{i}", text), tuple(out), labels)


def _corpora() -> list:
    from spinscope.models.trainset import TrainCorpus

    ptc = [_doc(i, f"They are corrupt traitors number {i}.\nThe nation is calm.",
                [("corrupt", "Loaded_Language"), ("traitors", "Name_Calling,Labeling"),
                 ("They are corrupt", "Whataboutism,Straw_Men,Red_Herring")])
           for i in range(20)]
    unlp = [_doc(100 + i, f"Це зрада і зрадники {i}.", [("зрада", None)],
                 ("loaded_language", "fud")) for i in range(6)]
    return [TrainCorpus("ptc", "ptc", ptc, True), TrainCorpus("unlp", "unlp2025", unlp, False)]


def test_any_of_and_mil_losses_behave() -> None:
    from spinscope.models.train import losses

    b, t, u = 1, 4, 3
    batch = {"y": torch.zeros(b, t, u), "mask": torch.zeros(b, t, u, dtype=torch.bool),
             "group": torch.zeros(b, t, u, dtype=torch.bool),
             "tokens": torch.ones(b, t, dtype=torch.bool),
             "mil_pos": torch.zeros(b, 2, u, dtype=torch.bool),
             "mil_neg": torch.zeros(b, u, dtype=torch.bool)}
    batch["group"][0, 1, 1:] = True  # token 1: one of units 1, 2
    low = torch.full((b, t, u), -5.0)
    one_hot = low.clone()
    one_hot[0, 1, 2] = 5.0  # unit 2 fires: the any-of constraint is met
    assert losses(one_hot, batch)["anyof"] < 0.01 < losses(low, batch)["anyof"]
    batch["group"][:] = False
    batch["mil_pos"][0, 0, 1] = True  # post label on unit 1: max over tokens must be high
    batch["mil_neg"][0, 2] = True  # unit 2 absent from the post
    hit = low.clone()
    hit[0, 3, 1] = 5.0
    assert losses(hit, batch)["mil"] < 0.02 < losses(low, batch)["mil"]
    hit[0, 0, 2] = 5.0
    assert losses(hit, batch)["mil"] > 1.0


def test_tiny_training_resumes_and_exports(tmp_path: Path) -> None:
    from spinscope.analyze.api import AnalyzeOptions, analyze
    from spinscope.models.export import export_bundle
    from spinscope.models.fake import fake_tokenizer_json
    from spinscope.models.train import TrainConfig, train

    base = json.loads(fake_tokenizer_json())
    corpora = _corpora()
    run = tmp_path / "run"
    cfg = TrainConfig(out_dir=str(run), tiny=True, max_steps=3, ckpt_every=2, batch_size=4,
                      freeze_layers=1, vocab_budget=200, max_tokens=14, epochs=3)
    train(cfg, corpora, base)
    first = torch.load(run / "last.pt", weights_only=False)
    assert first["step"] == 3
    cfg.max_steps = 5
    train(cfg, corpora, base)
    assert torch.load(run / "last.pt", weights_only=False)["step"] == 5
    log = [json.loads(x) for x in (run / "train_log.jsonl").read_text().splitlines()]
    assert all(np.isfinite(r["loss"]) for r in log)
    manifest = export_bundle(run, tmp_path / "bundle", None, "tiny", calibration=corpora,
                             head_corpora=corpora)
    assert manifest["onnx_vs_torch"]["max_abs_diff"] < 0.1
    # Heads fitted (60 PTC spans), and a labelling chosen per language on calibration data.
    assert manifest["tc_heads"]["file"] == "heads.npz"
    assert (tmp_path / "bundle" / "heads.npz").is_file()
    assert set(manifest["labelling"]) >= {"en", "uk", "ru", "default"}
    assert set(manifest["max_labels"]) == set(manifest["labelling"])
    assert set(manifest["any_decoding"]) >= {"en", "uk", "ru", "default"}
    assert set(manifest["thresholds"]) == set(manifest["units"])
    assert (tmp_path / "bundle" / "MODEL_CARD.md").read_text().count("CC BY-NC-SA 4.0") >= 1
    a = analyze("They are corrupt traitors.", AnalyzeOptions(bundle=str(tmp_path / "bundle")))
    assert a.model == "tiny" and all(s.label in manifest["covered"] for s in a.spans)


def test_training_continues_from_a_run_with_fewer_frozen_layers(tmp_path: Path) -> None:
    """`train --init-from-run A`: B starts at A's weights and vocabulary, with its own
    optimizer (here training the layer A kept frozen), and B's lineage counts A's steps."""
    from spinscope.models.export import _lineage
    from spinscope.models.fake import fake_tokenizer_json
    from spinscope.models.train import TrainConfig, build_model, init_from_run, train

    base = json.loads(fake_tokenizer_json())
    corpora = _corpora()
    a, b = tmp_path / "a", tmp_path / "b"
    common = dict(tiny=True, ckpt_every=2, batch_size=4, vocab_budget=200, max_tokens=14,
                  epochs=3)
    train(TrainConfig(out_dir=str(a), max_steps=3, freeze_layers=1, command="train A",
                      **common), corpora, base)
    trained = torch.load(a / "last.pt", weights_only=False)["model"]
    keep = np.load(a / "keep_ids.npy")
    fresh = build_model(TrainConfig(out_dir=str(b), **common), len(trained["head.bias"]),
                        keep, len(keep))
    assert init_from_run(fresh, a) == len(trained)
    assert all(torch.equal(v, trained[k]) for k, v in fresh.state_dict().items())

    train(TrainConfig(out_dir=str(b), max_steps=2, freeze_layers=0, init_from=str(a),
                      command="train B", **common), corpora, base)
    assert (b / "tokenizer.json").read_bytes() == (a / "tokenizer.json").read_bytes()
    assert np.array_equal(np.load(b / "keep_ids.npy"), keep)
    after = torch.load(b / "last.pt", weights_only=False)
    assert after["step"] == 2
    low = "encoder.encoder.layer.0.attention.self.query.weight"  # frozen in A, not in B
    assert not torch.equal(after["model"][low], trained[low])
    lineage = _lineage(b)
    assert lineage["steps"] == 5 and lineage["commands"] == ["train A", "train B"]
    assert lineage["version"] == ("training run b at step 2, itself continued from "
                                  "training run a at step 3")


def test_init_from_run_refuses_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from spinscope.cli.main import cli

    result = CliRunner().invoke(cli, ["train", "--out", str(tmp_path / "b"),
                                      "--init-from-run", str(tmp_path)])
    assert result.exit_code != 0
    assert "is not a training run folder" in (result.output + str(result.exception))
