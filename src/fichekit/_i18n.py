"""French wording for the few messages typer/click write themselves.

Users read fichekit in French: help headings, the ``--help`` line and usage
errors included. Click has no French catalogue, so the CLI installs these
translations once at start-up. Unknown messages are left as they are.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from types import ModuleType
from typing import IO, Any

__all__ = ["install_french_messages", "translate"]

_WORDS = {
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "required": "obligatoire",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "(dynamic)": "(dynamique)",
    "Aborted!": "Abandon.",
    "Missing command.": "commande manquante.",
    "No such command {name!r}.": "commande inconnue : « {name} ».",
}

def _unknown_format(match: re.Match[str]) -> str:
    """``validate --format``'s own wording, the one it had before it became a choice."""
    return f"format inconnu « {match[1]} » : choisissez parmi {match[2].replace(chr(39), '')}"


_PATTERNS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^Invalid value for '--format' / '-f': (?:Value error, )?'(.*)' is not one of (.+)\.$", _unknown_format),
        (r"^Missing argument '(.+?)\.*'\.$", r"argument manquant : \1."),
        (r"^Missing option '(.+)'\.$", r"option manquante : \1."),
        (r"^No such option: (\S+) \(Possible options: (.+)\)$", r"option inconnue : \1 (vouliez-vous dire \2 ?)"),
        (r"^No such option: (\S+)(?: Did you mean (\S+)\?)$", r"option inconnue : \1 (vouliez-vous dire \2 ?)"),
        (r"^No such option: (\S+)$", r"option inconnue : \1."),
        (r"^No such command '(.+)'\.$", r"commande inconnue : « \1 »."),
        (r"^Option '(.+)' requires an argument\.$", r"l'option \1 attend une valeur."),
        (r"^Invalid value for (.+?): (?:Value error, )?'(.*)' is not one of (.+)\.$", r"valeur invalide pour \1 : « \2 » n'est pas parmi \3."),
        (r"^Invalid value for (.+?): (?:Value error, )?(.+)$", r"valeur invalide pour \1 : \2"),
        (r"^Got unexpected extra arguments? \((.+)\)$", r"argument(s) en trop : \1"),
        (r"^Missing command\.$", "commande manquante."),
    )
)


_SUGGESTION = re.compile(r"^(.*?)\.? Did you mean (.+)\?$", re.DOTALL)
"""typer appends its command suggestions in English to an already translated message."""


def translate(message: str) -> str:
    """French version of a click message, or the message itself."""
    if (suggestion := _SUGGESTION.match(message)) and not message.startswith("No such option"):
        head, names = suggestion.groups()
        names = re.sub(r"'([^']*)'", r"« \1 »", names)
        return f"{translate(head + '.').rstrip('.')} : vouliez-vous dire {names} ?"
    if message in _WORDS:
        return _WORDS[message]
    for pattern, replacement in _PATTERNS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


def _click_modules() -> tuple[ModuleType, ...]:
    """typer >= 0.20 vendors click as ``typer._click``; older versions use click."""
    for name in ("typer._click", "click"):
        try:
            return (__import__(name, fromlist=["core", "exceptions", "formatting"]),)
        except ImportError:
            continue
    return ()


def _french_usage_error_show(self: Any, file: IO[str] | None = None) -> None:
    stream = file if file is not None else sys.stderr
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        stream.write(ctx.get_usage() + "\n")
        stream.write(f"Essayez « {ctx.command_path} --help » pour l'aide.\n")
    stream.write(f"erreur : {translate(self.format_message())}\n")


def _french_click_exception_show(self: Any, file: IO[str] | None = None) -> None:
    stream = file if file is not None else sys.stderr
    stream.write(f"erreur : {translate(self.format_message())}\n")


def _wrap_write_usage(original: Callable[..., None]) -> Callable[..., None]:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("COMMAND [ARGS]...", "COMMANDE [ARGUMENTS]...")
        original(self, prog, args, "Utilisation : " if prefix is None else prefix)

    return write_usage


def _wrap_get_help_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option

    return get_help_option


_installed = False


def install_french_messages() -> None:
    """Patch typer/click's own messages to French (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    import typer.core

    if hasattr(typer.core, "_"):
        typer.core._ = translate
    if hasattr(typer.core.TyperArgument, "display_type_rich"):
        # typer shows Python types ("<list[str]>") beside arguments: noise for users.
        typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]  # typer has no hook for it
    for click in _click_modules():
        exceptions, formatting, core = click.exceptions, click.formatting, click.core
        exceptions.UsageError.show = _french_usage_error_show
        exceptions.ClickException.show = _french_click_exception_show
        formatting.HelpFormatter.write_usage = _wrap_write_usage(formatting.HelpFormatter.write_usage)
        if hasattr(core.Command, "get_help_option"):
            core.Command.get_help_option = _wrap_get_help_option(core.Command.get_help_option)
        if hasattr(core, "_"):
            core._ = translate
