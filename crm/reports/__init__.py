"""Leaders' view: dashboards, 月报 snapshots, 月评比 ranking and their exports."""
