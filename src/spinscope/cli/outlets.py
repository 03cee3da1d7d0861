"""``spinscope outlets``: show the outlet registry, or copy the starter file to edit."""

from __future__ import annotations

from importlib import resources

import click

from spinscope.cli.output import echo_json, format_table
from spinscope.outlets.registry import STARTER, load_registry, user_registry_path
from spinscope.settings import load_settings


@click.group("outlets", invoke_without_command=True)
@click.option("--outlets", "path", default=None, type=click.Path(dir_okay=False),
              help="Registry file (default: $SPINSCOPE_OUTLETS, yours, else the starter).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def outlets_cmd(ctx: click.Context, path: str | None, as_json: bool) -> None:
    """List the outlets ingest uses to name the publisher of an article."""
    if ctx.invoked_subcommand is not None:
        return
    registry = load_registry(path or load_settings().outlets)
    if as_json:
        echo_json({"source": registry.source, "outlets": [o.to_dict() for o in registry]})
        return
    click.echo(f"outlet registry: {registry.source}\n")
    click.echo(format_table(
        ["id", "name", "country", "lang", "ownership", "state", "blocs", "domains"],
        [[o.id, o.name, o.country, o.language, o.ownership,
          {True: "yes", False: "no", None: None}[o.state_affiliated], ", ".join(o.blocs) or None,
          ", ".join(o.domains)] for o in registry]))


@outlets_cmd.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init_cmd(force: bool) -> None:
    """Copy the starter registry to your config directory, to edit."""
    target = user_registry_path()
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; edit it, or pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    text = resources.files("spinscope.data.outlets").joinpath(STARTER).read_text("utf-8")
    target.write_text(text, "utf-8")
    click.echo(str(target))


commands = [outlets_cmd]
