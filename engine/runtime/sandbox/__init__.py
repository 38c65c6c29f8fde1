"""The script sandbox: what BPMN scripts, conditions and timer expressions may do, and where they run.

policy   the allow-list the code is checked against (deploy and run time) and whether it is provably cheap
guards   the guarded operations and safe functions compiled code reaches at run time
runner   runs code: cheap code in-process, everything else in a fresh, resource-limited worker process
worker   the worker process's entry point (standard library + RestrictedPython only)
"""
