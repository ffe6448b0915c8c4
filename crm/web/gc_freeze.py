"""Keep Python's full garbage collections off the request path of a web worker.

A worker holds some 650,000 tracked objects once it has served every kind of page (modules, the ORM's
mappers and compiled statements, Jinja's templates, the pinyin tables, the figure cache). A full (generation 2)
collection walks all of them: measured on the city's data it took up to 385 ms, inside whichever request
happened to trigger it, stalling every thread of the worker meanwhile. Those objects live as long as the
process, so they are moved out of the collector's sight (``gc.freeze``) once the worker is warm: after its
``CRM_GC_FREEZE_AFTER``-th request, once that response has gone out (a collection first, so that no garbage is
frozen with them). Objects made later are collected as usual; the slowest of 360 requests went from 614 ms to
102 ms (docs/PERFORMANCE.md).

Only the web server's app does this (``create_app(web_server=True)``, i.e. wsgi.py): a test run or a command
creates many apps and would keep their garbage.
"""

from __future__ import annotations

import gc
import itertools

from flask import Flask, Response

_served = itertools.count(1)  # requests served by this process (next() is atomic: one request sees each number)


def register(app: Flask) -> None:
    after = int(app.config.get("CRM_GC_FREEZE_AFTER") or 0)
    if after <= 0:
        return

    @app.after_request
    def _count(response: Response) -> Response:
        if next(_served) == after:
            response.call_on_close(freeze)
        return response


def freeze() -> None:
    gc.collect()
    gc.freeze()
