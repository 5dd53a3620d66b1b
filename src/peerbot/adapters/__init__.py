"""Platform adapters: thin translators between a platform and the core (see DESIGN.md)."""
