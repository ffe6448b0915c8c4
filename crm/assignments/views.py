from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assignments", __name__)
