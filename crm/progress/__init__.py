"""倒排工期 milestones, monthly progress (with photos) and 到位资金 of projects."""
