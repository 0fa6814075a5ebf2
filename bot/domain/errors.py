"""Domain errors: each carries a message that is safe to show the user."""


class DomainError(Exception):
    """A refusal the user should read; `str(error)` is the message in Chinese."""


class DeadlinePassed(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class AlreadyHandled(DomainError):
    pass


class NotFound(DomainError):
    pass
