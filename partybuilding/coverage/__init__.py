"""Party-building coverage over many organizations (R-PB-3, R-PB-5..7, R-PB-10)."""
