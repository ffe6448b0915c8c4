"""The projects feature's signals.

``stage_applied`` is sent when a stage takes effect on a project (an approved report, an admin's correction),
with ``event`` and ``today``; the features whose records follow the stage (the 倒排工期 节点 in
``crm.progress``) answer it, inside the same flush.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
stage_applied = _signals.signal("stage-applied")
