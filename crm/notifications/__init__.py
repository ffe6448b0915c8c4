"""In-app notifications (the bell) and the daily alerts that fill it."""
