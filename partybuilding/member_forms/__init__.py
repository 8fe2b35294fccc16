"""The new organization's member form filed in triplicate and acknowledged (R-REG-3)."""
