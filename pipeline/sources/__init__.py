"""Sources: where candidate article URLs come from."""
