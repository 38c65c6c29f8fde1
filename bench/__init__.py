"""Benchmarks of the completion path and the worklist (`make bench`, or `python -m bench --help`).

Not part of the test suite. Three runners take the same process through the same happy path, interleaved in one
process: raw SpiffWorkflow in memory (the floor), raw SpiffWorkflow with its state in one SQLite row (the minimal
durable engine) and the project's service layer as the web views call it. A fourth part times one user's worklist
query as the work_item table grows to a million rows.
"""
