"""The demo: fictional organizations, users for every role and a base."""
