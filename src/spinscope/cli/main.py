"""The ``spinscope`` command line. Each command is a thin wrapper over an importable function.

Commands live in one module each under ``spinscope.cli``; every module exports
``commands: list[click.Command]`` and is listed in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from spinscope import __version__
from spinscope.errors import SpinscopeError

COMMAND_MODULES = [
    "spinscope.cli.techniques",
    "spinscope.cli.corpus",
    "spinscope.cli.evaluate",
    "spinscope.cli.predict",
    "spinscope.cli.analyze",
    "spinscope.cli.train",
    "spinscope.cli.demo",
    "spinscope.cli.store",
    "spinscope.cli.ingest",
    "spinscope.cli.outlets",
    "spinscope.cli.analyze_corpus",
    "spinscope.cli.analyze_files",
    "spinscope.cli.events",
    "spinscope.cli.compare",
    "spinscope.cli.report",
    "spinscope.cli.serve",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="spinscope")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv: debug).")
def cli(verbose: int) -> None:
    """spinscope: find persuasion techniques in news, the same way for every side."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            # A command module not written yet is skipped; any other missing import is a bug.
            if e.name == name:
                continue
            raise
        for command in module.commands:
            cli.add_command(command)


_register()


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except SpinscopeError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
