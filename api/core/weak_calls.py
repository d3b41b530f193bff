"""Calling a bound method without keeping its object alive.

For an object that holds what holds the function: the reference cycle would keep both, and
all they reach (a request's context, its loaders and everything they loaded), until the cyclic
collector runs, whose pauses were a server's slowest requests.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any


def weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """A function calling the bound `method` without keeping its object alive: for an object
    that holds what keeps the function (its own context's loaders, its executor's helpers)."""
    # The object weakly and its class's function, as `WeakMethod` holds them (a plain reference
    # is made in C; `WeakMethod`'s constructor is Python, and this runs for every request).
    ref = weakref.ref(method.__self__)
    function = method.__func__

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = ref()
        if bound is None:  # a caller that outlived the object it was made for
            raise ReferenceError(f"{function.__qualname__} was called after its object was freed")
        return function(bound, *args, **kwargs)

    return call
