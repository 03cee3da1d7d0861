"""``spinscope analyze TEXT|FILE|-``: highlight persuasion techniques in one text."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spinscope.cli.output import echo_json
from spinscope.core.analysis import Analysis
from spinscope.core.taxonomy import load_taxonomy
from spinscope.errors import PipelineError


def read_input(source: str) -> tuple[str, str | None]:
    """(text, file name or None): ``-`` is stdin, an existing path is a file, else text."""
    if source == "-":
        raw = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        path = Path(source)
        try:
            is_file = len(source) < 4096 and "\n" not in source and path.is_file()
        except OSError:
            is_file = False
        if not is_file:
            return source, None
        raw = path.read_bytes()
        name = str(path)
    if b"\x00" in raw[:65536]:
        raise PipelineError(f"{name} looks binary (it contains NUL bytes); "
                            "give a UTF-8 text file")
    try:
        return raw.decode("utf-8"), name
    except UnicodeDecodeError as e:
        raise PipelineError(f"{name} is not UTF-8 text (bad byte at offset {e.start}); "
                            "convert it first, e.g. iconv -t utf-8") from None


def render(analysis: Analysis) -> str:
    """The text with ``[[...]]{n}`` markers and a numbered list of spans below it."""
    tax = load_taxonomy()
    text = analysis.text
    spans = sorted(analysis.spans, key=lambda s: (s.start, -s.end))
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for n, s in enumerate(spans, 1):
        opens.setdefault(s.start, []).append(n)
        closes.setdefault(s.end, []).append(n)
    out: list[str] = []
    for i in range(len(text) + 1):
        for n in sorted(closes.get(i, []), reverse=True):
            out.append(f"]]{{{n}}}")
        out.extend("[[" for _ in opens.get(i, []))
        if i < len(text):
            out.append(text[i])
    lines = ["".join(out).rstrip(), ""]
    if not spans:
        lines.append("No persuasion techniques found.")
    for n, s in enumerate(spans, 1):
        t = tax.get(s.label) if s.label else None
        group = t.group.name if t else "-"
        frag = " ".join(text[s.start:s.end].split())
        frag = frag if len(frag) <= 80 else frag[:77] + "..."
        lines.append(f"{n:>3}. {s.label}  ({group}, {s.score:.2f})  [{s.start}:{s.end}]  "
                     f"\"{frag}\"")
    counts = analysis.counts()
    if counts:
        lines.append("")
        lines.append(f"{len(spans)} spans in {analysis.word_count} words; per technique: "
                     + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return "\n".join(lines)


@click.command("analyze")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the full analysis as JSON.")
@click.option("--lang", default=None, help="Language (en, ru, uk); guessed when omitted.")
@click.option("--model", "bundle", default=None,
              help="Model bundle folder (default: the packaged model or $SPINSCOPE_MODEL).")
@click.option("--max-chars", type=int, default=1_000_000, show_default=True,
              help="Refuse longer texts (0 = no limit).")
@click.option("--any", "include_any", is_flag=True,
              help="Also report unlabelled 'any persuasion' spans (JSON only).")
def analyze_cmd(source: str, as_json: bool, lang: str | None, bundle: str | None,
                max_chars: int, include_any: bool) -> None:
    """Find persuasion techniques in TEXT, a FILE, or stdin (-)."""
    from spinscope.analyze.api import AnalyzeOptions, analyze

    text, name = read_input(source)
    if not text.strip():
        raise PipelineError(f"{name or 'the text'} is empty or whitespace only; "
                            "nothing to analyse")
    options = AnalyzeOptions(bundle=bundle, lang=lang, max_chars=max_chars or None,
                             include_any=include_any)
    result = analyze(text, options)
    if as_json:
        data = result.to_dict()
        data["source"] = name
        echo_json(data)
    else:
        click.echo(render(result))


commands = [analyze_cmd]
