"""The power map and dashboards: how much power the base has, district by district."""
