"""线索: investor leads followed by a unit."""
