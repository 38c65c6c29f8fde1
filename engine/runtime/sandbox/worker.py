"""The sandbox worker: one process per run of BPMN code that is not provably cheap.

Started by engine.runtime.sandbox.runner as a fresh interpreter (`python -I`, an empty environment, an empty working
folder), so it holds nothing of the server: no secret key, no database, no environment. It limits itself
before it reads its input — CPU seconds, address space, no files written or opened, no child processes —
then reads one request as JSON on stdin ({"source", "mode", "variables"}), runs it with the same policy and
guards as the server, and writes one JSON answer on stdout: {"ok": true, "value", "variables"} or
{"ok": false, "error", "limit"}. The server kills it if it overruns its wall-clock time.
"""

from __future__ import annotations

import json
import resource
import sys

from engine.runtime.sandbox import execution, policy

MAX_REQUEST = 64 * 1024 * 1024


def limit_self(cpu_seconds: int, memory_bytes: int) -> None:
    """Resource limits of this process; a CPU overrun ends it with SIGXCPU."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    # stdin, stdout and stderr are open; no other file can be.
    resource.setrlimit(resource.RLIMIT_NOFILE, (3, 3))


def main(argv: list[str] | None = None) -> int:
    """Run one request; arguments: CPU seconds, memory bytes."""
    args = argv if argv is not None else sys.argv[1:]
    limit_self(int(args[0]), int(args[1]))
    try:
        request = execution.loads(sys.stdin.buffer.read(MAX_REQUEST))
        compiled = policy.compile_code(request["source"], request["mode"])
        value, variables = execution.run(compiled, request["variables"])
        body = execution.dumps({"ok": True, "value": value, "variables": variables})
    except execution.ScriptFailed as exc:
        body = execution.dumps({"ok": False, "error": str(exc), "limit": exc.limit})
    except (policy.UnsafeScript, SyntaxError) as exc:
        body = execution.dumps({"ok": False, "error": str(exc), "limit": False})
    except MemoryError:
        body = execution.dumps({"ok": False, "error": "the script ran out of its memory limit", "limit": True})
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        body = execution.dumps({"ok": False, "error": f"bad request to the sandbox: {exc}", "limit": False})
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
