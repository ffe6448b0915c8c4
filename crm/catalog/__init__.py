"""County-configurable lists (主导产业链 …) that several features share."""
