"""The `powerbase` command line."""
