"""``spinscope techniques``: list the taxonomy."""

from __future__ import annotations

import textwrap

import click

from spinscope.cli.output import echo_json
from spinscope.core.taxonomy import DEFAULT_TAXONOMY, load_taxonomy


@click.command("techniques")
@click.option("--json", "as_json", is_flag=True, help="Print the taxonomy as JSON.")
@click.option("--group", "group_id", default=None, help="Only techniques of this group id.")
@click.option("--mappings", "label_set", default=None,
              help="Show how a label set (ptc, semeval2021, unlp2025) maps onto the taxonomy.")
def techniques_cmd(as_json: bool, group_id: str | None, label_set: str | None) -> None:
    """List the persuasion techniques, their groups and definitions."""
    tax = load_taxonomy(DEFAULT_TAXONOMY)
    if label_set is not None:
        mapping = tax.mapping(label_set)
        if as_json:
            echo_json({src: {"kind": m.kind, "targets": list(m.targets), "note": m.note}
                       for src, m in mapping.items()})
            return
        for src, m in mapping.items():
            target = ", ".join(m.targets) if m.targets else "(not mapped)"
            note = f"  -- {m.note}" if m.note else ""
            click.echo(f"{src:<55} {m.kind:<12} {target}{note}")
        return
    data = tax.to_dict()
    if group_id is not None:
        if group_id not in {g.id for g in tax.groups}:
            raise click.BadParameter(
                f"unknown group {group_id!r}; groups: {', '.join(g.id for g in tax.groups)}",
                param_hint="--group")
        data["techniques"] = [t for t in data["techniques"]  # type: ignore[attr-defined]
                              if t["group"] == group_id]
    if as_json:
        echo_json(data)
        return
    click.echo(f"taxonomy {tax.id}: {len(tax)} techniques in {len(tax.groups)} groups\n")
    for g in tax.groups:
        if group_id is not None and g.id != group_id:
            continue
        click.echo(f"{g.name} ({g.id})")
        for t in tax.in_group(g.id):
            click.echo(f"  {t.name}")
            for line in textwrap.wrap(t.definition, 88):
                click.echo(f"      {line}")
            for ex in t.examples:
                click.echo(f"      e.g. \u201c{ex}\u201d")
        click.echo()


commands = [techniques_cmd]
