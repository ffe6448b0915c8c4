"""The leads feature's signals.

``lead_timeline`` is sent with a lead by its page; every feature that belongs
to leads (follow-ups, visits …) answers its own ``TimelineEntry`` list
(``crm.leads.queries``), which the page merges with the status changes.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
lead_timeline = _signals.signal("lead-timeline")
