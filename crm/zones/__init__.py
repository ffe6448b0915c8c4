"""园区: the county's industrial zones (issue 17)."""
