"""Organizations (tenants), users and roles, access decisions, the audit log and jobs."""
