"""A district's schools solved as independent parts, side by side (docs/district.md)."""
