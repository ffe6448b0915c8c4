"""The weekly digest: each role's summary of the week, by email (DOMAIN §c weekly row)."""
