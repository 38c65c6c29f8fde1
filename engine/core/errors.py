"""Errors the engine raises to its callers (web, CLI, tests), each with a message fit for a user."""


class EngineError(Exception):
    """Base class: the message is shown to the user as it is."""


class ValidationFailed(EngineError):
    """A BPMN file or registry is not deployable; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class NotFound(EngineError):
    """The object does not exist, or the user may not see it (we do not tell which)."""


class Forbidden(EngineError):
    """The user may see the object but not act on it."""


class Conflict(EngineError):
    """The task was already completed or changed by someone else."""


class FormInvalid(EngineError):
    """Submitted form data does not satisfy the task's schema; `errors` maps field -> message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("Dữ liệu biểu mẫu không hợp lệ: " + "; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class AlreadyStarted(Conflict):
    """The duty already has an instance for that unit and period; `instance_id` is it (the page links to it).
    When a racing start's insert was refused before its winner could be read, `key` (organisation id, duty key,
    lead unit, period) lets the caller find it once the transaction has rolled back."""

    def __init__(self, message: str, instance_id: int | None, key: tuple[int, str, str, str] | None = None):
        super().__init__(message)
        self.instance_id = instance_id
        self.key = key


class LateStart(EngineError):
    """A start by hand whose deadline has passed, not confirmed as a late start ("Khởi tạo muộn")."""
