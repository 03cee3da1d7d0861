"""``spinscope serve``: the web app and REST API on a local port."""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path
from typing import Any

import click

from spinscope.cli.output import warn
from spinscope.errors import ConfigError, SpinscopeError

log = logging.getLogger(__name__)

STORE_HELP = ("Corpus store: a SQLite file path or a postgresql:// URL (default: $SPINSCOPE_STORE,"
              " the config file, else corpus.sqlite in your data directory).")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_token(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        token = Path(path).expanduser().read_text("utf-8").strip()
    except OSError as e:
        raise ConfigError(f"cannot read the API token file {path}: {e.strerror}") from e
    if len(token) < 16:
        raise ConfigError(f"the API token in {path} is shorter than 16 characters; use a long "
                          "random one (e.g. `python -c 'import secrets; "
                          "print(secrets.token_urlsafe(32))'`)")
    return token


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; put a TLS proxy in front).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--store", default=None, metavar="PATH|URL", help=STORE_HELP)
@click.option("--config", default=None, metavar="FILE", help="Settings file (TOML).")
@click.option("--read-only", is_flag=True, default=None,
              help="Public deployment: no writes (ingest) whatever the token.")
@click.option("--api-token-file", default=None, metavar="FILE",
              help="File holding the API token for write endpoints (or $SPINSCOPE_API_TOKEN).")
@click.option("--rate-limit", type=float, default=None, metavar="N",
              help="Requests per minute per client (0: no limit; default 120).")
@click.option("--analysis-workers", type=click.IntRange(1, 64), default=None,
              help="Analyses run at the same time (default 2).")
@click.option("--allow-private-addresses", is_flag=True, default=None,
              help="Let URL analysis and ingest fetch from private/loopback addresses.")
@click.option("--no-url-analysis", is_flag=True, help="Switch off analysing URLs.")
@click.option("--trust-proxy", is_flag=True, default=None,
              help="Behind a reverse proxy: rate-limit by X-Forwarded-For.")
@click.option("--root-path", default="", metavar="PATH",
              help="URL prefix when served under a sub-path by a proxy.")
@click.option("--no-preload", is_flag=True, help="Load the model on the first request instead.")
def serve(host: str, port: int, store: str | None, config: str | None, read_only: bool | None,
          api_token_file: str | None, rate_limit: float | None, analysis_workers: int | None,
          allow_private_addresses: bool | None, no_url_analysis: bool,
          trust_proxy: bool | None, root_path: str, no_preload: bool) -> None:
    """Start the web app and REST API (http://HOST:PORT/, API under /api/v1)."""
    try:
        import uvicorn

        from spinscope.web import create_app, load_web_settings
        from spinscope.web.app import default_analyser
    except ImportError as e:
        raise click.ClickException(
            f"the web app needs the web extra ({e.name} is missing): "
            "pip install 'spinscope[web]'") from e
    from spinscope.settings import load_settings

    settings = load_settings(config, store=store,
                             allow_private_addresses=allow_private_addresses)
    web = load_web_settings(read_only=read_only, api_token=_read_token(api_token_file),
                            rate_limit=rate_limit, analysis_workers=analysis_workers,
                            trust_proxy=trust_proxy,
                            analyse_urls=False if no_url_analysis else None)
    if not _is_loopback(host) and not web.read_only and web.api_token:
        warn(f"warning: listening on {host} with writes enabled; anyone with the token can "
             "ingest. Use --read-only for a public server.")
    analyser = default_analyser()
    if not no_preload:
        _preload(analyser)
    app = create_app(settings, analyser=analyser, web=web)
    writes = "read-only" if web.read_only else (
        "writes with API token" if web.api_token else "no writes (no API token set)")
    shown = f"[{host}]" if ":" in host else host
    warn(f"spinscope: serving http://{shown}:{port}/ (API: /api/v1/docs; store: "
         f"{settings.store}; {writes}). Ctrl-C stops.")
    uvicorn.run(app, host=host, port=port, log_level="warning", root_path=root_path,
                proxy_headers=bool(web.trust_proxy), server_header=False,
                timeout_graceful_shutdown=5)


def _preload(analyser: Any) -> None:
    """Load the model now, so the first visitor does not wait for it."""
    try:
        analyser("Preloading the model.")
    except SpinscopeError as e:
        warn(f"warning: the model could not be loaded ({e}); text analysis will answer 503 "
             "until it is fixed, the corpus pages still work")


commands = [serve]
