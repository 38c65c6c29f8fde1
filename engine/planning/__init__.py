"""The plan domain: duty registries of the Sở's CCHC plans, deadline rules and Vietnamese working days, plans
loaded as organisations, the scheduler that opens one instance per duty, unit and period, and a year simulated."""
