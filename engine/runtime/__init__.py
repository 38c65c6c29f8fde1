"""The BPMN runtime: safe parsing and deployment of process versions, instances and their state, completing user
tasks, the worklist and timer mirrors, the timer worker, task forms, and the script sandbox."""
