"""Configuration: TOML files in the config folder, validated by frozen pydantic models.

Owns the config files' loading, the channels file and the platform facts the screens show. May import
settings and ``connectors.registry`` (the platform list); nothing else of the inbox.
"""
