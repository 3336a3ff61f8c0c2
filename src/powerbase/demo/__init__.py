"""The demo: fictional organizations, users for every role and, in later steps, a base."""
