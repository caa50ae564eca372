"""The `gongkai` command line: parse arguments, call the library, render, map errors to exit codes.

app.py holds the app and `main`; errors.py the exit codes; args.py the argument parsing; invocation.py what
the global options choose; queries.py, tables.py and progress.py the commands; click_chinese/ the one seam on
Typer's internals. Nothing below the command line imports it.
"""
