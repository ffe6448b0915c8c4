from __future__ import annotations

from flask import Blueprint

bp = Blueprint("targets", __name__)
