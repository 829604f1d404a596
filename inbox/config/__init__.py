"""Configuration: TOML files in the config folder, validated by frozen pydantic models."""
