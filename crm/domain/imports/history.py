"""The stage history an imported project gets: one approved step per stage of the main line it has passed.

A sheet says where a project stands (已投产) and, in some columns, when it got to each stage (签约时间 …). The
steps follow the main line from 在谈 (增资/扩建 skip 注册, as a stage report may). A stage the sheet gives no
month for takes the month of the next stage it does give, so that a 签约 is never counted after the 开工 it
preceded; with no later month either, the import month.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.domain.pipeline import Nature, Settings, Stage, is_forward_step, main_line

MONTH_OF_STAGE = {
    Stage.TALKS: "talks_month",
    Stage.SIGNED: "signed_month",
    Stage.REGISTERED: "registered_month",
    Stage.STARTED: "start_month",
    Stage.PRODUCING: "production_month",
}


@dataclass(frozen=True)
class Step:
    from_stage: Stage
    to_stage: Stage
    period: str  # YYYY-MM


def steps(current: Stage, target: Stage, nature: Nature, months: dict[str, str | None], import_month: str,
          settings: Settings = Settings()) -> list[Step]:
    """The steps from ``current`` to ``target`` (none when the target is not ahead on the main line)."""
    line = main_line(settings)
    if current not in line or target not in line or line.index(target) <= line.index(current):
        return []
    path = [current]
    while path[-1] is not target:
        here = path[-1]
        ahead = [s for s in line[line.index(here) + 1 : line.index(target) + 1] if is_forward_step(here, s, nature, settings)]
        # The longest step allowed (签约 → 开工 for 增资) only when the sheet gives no 注册 month for the stage between.
        skip = [s for s in ahead if line.index(s) > line.index(here) + 1 and not months.get("registered_month")]
        path.append(skip[0] if skip else ahead[0])
    given = [months.get(MONTH_OF_STAGE.get(stage, "")) for stage in path]
    periods: list[str] = []
    for index in range(1, len(path)):
        later = [m for m in given[index:] if m]
        periods.append(later[0] if later else import_month)
    # Never earlier than a step before it (a sheet may give 开工 2024-06 and 签约 2025-01).
    for index in range(1, len(periods)):
        periods[index] = max(periods[index], periods[index - 1])
    return [Step(path[i], path[i + 1], periods[i]) for i in range(len(periods))]


def earliest_month(months: dict[str, str | None]) -> str | None:
    given = [m for m in months.values() if m]
    return min(given) if given else None
