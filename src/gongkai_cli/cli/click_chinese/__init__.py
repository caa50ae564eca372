"""Click's and Typer's own words in Chinese: usage lines, help pages and error messages.

Wiring (Typer 0.28)::

    from gongkai_cli.cli.click_chinese import ChineseCommand, ChineseGroup

    app = typer.Typer(cls=ChineseGroup, rich_markup_mode=None, ...)

    @app.command(cls=ChineseCommand)
    def unit(...): ...

`cls=ChineseCommand` on each command is optional: Typer 0.28 builds every `@app.command()` as a plain
`TyperCommand` (it does not read a group's `command_class`), so `ChineseGroup` turns each plain `TyperCommand`
and `TyperGroup` it is given into a `ChineseCommand` / `ChineseGroup`. An app with a single command and no
callback has no group at all: give that command `cls=ChineseCommand`.

How the pieces fit:

- Help: both classes create a `ChineseContext`, whose `formatter_class` is `ChineseHelpFormatter`, so
  `ctx.make_formatter()` (used by `get_help` and `get_usage`) wraps text by terminal cells with
  `linebreak.wrap` instead of Click's `wrap_text` (which would put spaces between joined Chinese lines). The
  pieces Click writes in English are built in Chinese where they are made: the usage pieces
  (`collect_usage_pieces`: [选项], 命令 [参数]...), the section headings (`format_options`,
  `format_commands`), each parameter's help record and its note (（默认：table）, （环境变量：X）, （必填）),
  the help option (`get_help_option`) and Typer's completion options. Help always uses Click's plain layout,
  whatever `rich_markup_mode` says.
- Errors: with `standalone_mode` on, `main` notes it, and `make_context` and `invoke` (the two calls Typer's
  `_main` makes inside its error handling) catch Click's exceptions and `Abort` on their way out, print them
  in Chinese (`format_error`) to stderr, literally, and exit through `typer.Exit` with the exception's exit
  code (Abort: 1; Ctrl-C: 130, which Typer gives it). Without standalone mode exceptions pass through
  unchanged, as in Click. `parse_args` fills in what the parser leaves out: the context of a `BadOptionUsage`,
  the offending value of a `BadParameter` a parameter type raised, and the extra arguments
  (`ExtraArgumentsError`); and it refuses a text argument holding bytes that are not UTF-8 (a path may).

The modules: `text` (joining and wrapping Chinese help text), `help` (the formatter and the help pieces),
`messages` (Click's exceptions in Chinese) and `commands` (the command classes, and `LazyCommand`, a registered
command imported when it is built). They are the only place in
the package that imports `typer._click` or Typer's private helpers; tests/test_click_chinese.py names every
such symbol, so that a Typer upgrade that moves one fails there.
"""

from .commands import ChineseCommand, ChineseGroup, LazyCommand
from .help import ChineseContext, ChineseHelpFormatter
from .messages import ExtraArgumentsError, NoSuchCommand, format_error

__all__ = [
    "ChineseCommand",
    "ChineseContext",
    "ChineseGroup",
    "ChineseHelpFormatter",
    "ExtraArgumentsError",
    "LazyCommand",
    "NoSuchCommand",
    "format_error",
]
