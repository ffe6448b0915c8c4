"""企业/客商 and their contacts: shared master data, deduplicated."""
