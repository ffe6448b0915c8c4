"""Files attached to business records (scans of agreements, progress photos …), stored outside the web root."""
