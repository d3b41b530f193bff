"""Third-party modules loaded when first used, not when imported.

numpy and scipy are half a second of every process start, and only the recommendations job and
its evaluation compute with them; the API, the CLI and the worker import that code for its
constants and SQL. `lazy_import` gives an object that stands for the module and imports it at the
first attribute read, so code reads `np.zeros` as usual. (importlib's `LazyLoader` would import a
submodule's package at once: scipy's imports numpy.)"""
from __future__ import annotations

import importlib
from types import ModuleType


class _Deferred(ModuleType):
    """Stands for the module of its name; each attribute read once is kept here."""

    def __getattr__(self, attribute: str):
        value = getattr(importlib.import_module(self.__name__), attribute)
        setattr(self, attribute, value)
        return value


def lazy_import(name: str) -> ModuleType:
    """The module `name`, imported when an attribute of it is first read."""
    return _Deferred(name)
