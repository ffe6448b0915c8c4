"""跟进: follow-up tasks and 我的待办."""
