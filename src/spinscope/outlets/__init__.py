"""Outlets: who published an article, from a registry file the user curates."""

from spinscope.outlets.registry import (
    STARTER,
    Outlet,
    OutletRegistry,
    load_registry,
    user_registry_path,
)

__all__ = ["STARTER", "Outlet", "OutletRegistry", "load_registry", "user_registry_path"]
