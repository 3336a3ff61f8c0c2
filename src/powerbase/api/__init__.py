"""The OSDI API (HAL+JSON on Action Network's paths), API keys and webhooks."""
