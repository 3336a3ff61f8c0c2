"""Affiliates (the unions, tenant unions, congregations and groups that make up the IPO)."""
