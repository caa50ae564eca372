"""The `gongkai` command (and `python -m gongkai_cli`)."""

import gc


def main() -> None:
    """Console-script entry point."""
    # One command is a short-lived process that builds many objects and no garbage cycles worth collecting;
    # the cyclic collector, off before anything is imported, would only rescan them (a twentieth of start-up,
    # a third of the time of a large JSON answer).
    gc.disable()
    from .cli.app import main as run

    try:
        run()
    except SystemExit as finished:
        _leave(finished.code)
    _leave(0)


def _leave(code: object) -> None:
    """End the process with `code` as SystemExit would, without freeing every object one by one first.

    A large answer leaves hundreds of megabytes of objects behind, and freeing them at exit took a sixth of the
    time of the answer itself (0.13 s for `unit` at 100,000 tasks). Exit handlers still run (openpyxl removes its
    temporary files in one) and the streams are flushed; then os._exit skips the teardown.
    """
    import atexit
    import contextlib
    import os
    import sys

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as SystemExit("message") does: the message on stderr, status 1
        if sys.stderr is not None:
            print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    # A stream is None where the process started with it closed.
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        status = status or 120  # what Python's own exit gives when stdout cannot be flushed
    with contextlib.suppress(OSError, ValueError):  # nowhere left to say anything
        if sys.stderr is not None:
            sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
