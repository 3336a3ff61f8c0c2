"""Campaigns, actions as structure tests, commitments, RSVPs, check-in, the leadership ladder
and one-on-ones."""
