"""Files in and out: the bounded reader, the one writer, YAML with positions, and pydantic errors in Chinese."""
