"""The `gongkai` command (and `python -m gongkai_cli`)."""

import gc


def main() -> None:
    """Console-script entry point."""
    # One command is a short-lived process that builds many objects and no garbage cycles worth collecting;
    # the cyclic collector, off before anything is imported, would only rescan them (a twentieth of start-up,
    # a third of the time of a large JSON answer).
    gc.disable()
    from .cli.app import main as run

    run()


if __name__ == "__main__":
    main()
