"""The shared core: configuration, the database and its schema (models, migrations), organisations, units, users
and roles, the audit trail, the one clock, errors, and the hook table process plug-ins register in."""
