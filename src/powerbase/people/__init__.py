"""People in the base: who they are, how to reach them, and where each fact came from."""
