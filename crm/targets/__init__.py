"""年度目标 per county, unit and leader, and the monthly 园区指标 typed in by the zone."""
