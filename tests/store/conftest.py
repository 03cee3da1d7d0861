"""Make the backend fixtures of store_backends available to the store tests."""

from store_backends import store, store_location  # noqa: F401
