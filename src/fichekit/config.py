"""Settings of ``fichekit validate``, read from ``[tool.fichekit]`` in ``pyproject.toml``.

A project states once which headings its sheets must have and how strict its
CI is, instead of repeating options in every hook and workflow.

Where the settings come from
    The nearest ``pyproject.toml`` found walking up from the current directory,
    or the TOML file given with ``--config``. A ``pyproject.toml`` without a
    ``[tool.fichekit]`` table means the defaults; a ``--config`` file must
    have one. Command-line options then override the file.

Keys of ``[tool.fichekit]`` (all optional)
    ``required``
        List of heading keys every sheet must have (FK002 otherwise). Default:
        all 13: ``localisation``, ``chiffres_cles``, ``publics_touches``,
        ``partenaires``, ``contexte``, ``resultats``, ``etapes``,
        ``cles_du_succes``, ``obstacles_et_freins``, ``pistes_amelioration``,
        ``conseils``, ``ressources_mobilisees``, ``apports_du_groupe``.
        ``required = []`` requires none.
    ``errors``
        List of codes reported as errors (``["FK103"]``): the check fails.
    ``warnings``
        List of codes reported as warnings (``["FK004"]``): reported, but the
        check passes unless ``strict``.
    ``ignore``
        List of codes not reported at all (``["FK104"]``).
    ``strict``
        ``true``: warnings fail the check too (exit 1), like ``--strict``.
    ``rubriques`` (a table)
        A network's own titles for the 13 rubriques, by key:
        ``cles_du_succes = ["Facteurs de réussite"]``. Every command reads it
        (``--rubriques FILE`` replaces it); the JSON keys never change.

    Example::

        [tool.fichekit]
        required = ["localisation", "chiffres_cles", "partenaires", "resultats"]
        warnings = ["FK004"]
        ignore = ["FK104"]
        strict = true

    Codes are written ``FK002`` (case does not matter). FK001 (unreadable file,
    no sheet) is always an error: a file that could not be checked never
    passes. Unknown keys, unknown heading keys or codes, a code in two lists
    and values of the wrong type are usage errors (exit 2), so a typo never
    silently weakens a check.

Command line
    ``--require KEY`` (repeatable) replaces ``required``; ``--error CODE``,
    ``--warning CODE`` and ``--ignore CODE`` (repeatable) override the file for
    those codes; ``--strict``/``--no-strict`` override ``strict``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import FichekitError, french_os_error
from .findings import DEFAULT_SEVERITY, Code, Severity
from .headings import SECTION_KEYS

__all__ = [
    "ConfigError",
    "ValidationRules",
    "find_pyproject",
    "load_rubriques",
    "load_rules",
    "parse_code",
    "parse_heading_key",
    "parse_rubriques",
    "project_rubriques",
]

TABLE = "tool.fichekit"
_LIST_KEYS: dict[str, Severity | None] = {"errors": Severity.ERROR, "warnings": Severity.WARNING, "ignore": None}
_KEYS = ("required", *_LIST_KEYS, "strict", "rubriques")
# A file that could not be checked must never pass: FK001 stays an error.
_LOCKED = frozenset({Code.UNREADABLE})
_TOML_POSITION = re.compile(r"at line (\d+)")


class ConfigError(FichekitError):
    """Invalid ``[tool.fichekit]`` settings or validation options (a usage error)."""


def parse_code(text: str, *, where: str) -> Code:
    """``"fk002"`` -> :attr:`Code.MISSING_HEADING`; ``where`` names the setting in the message."""
    try:
        return Code(text.strip().upper())
    except ValueError:
        known = ", ".join(code.value for code in Code)
        raise ConfigError(f"{where} : code inconnu « {text} » (codes possibles : {known})") from None


def parse_heading_key(text: str, *, where: str) -> str:
    """Check a heading key (``"partenaires"``) against the 13 headings."""
    if text not in SECTION_KEYS:
        raise ConfigError(
            f"{where} : rubrique inconnue « {text} » (rubriques possibles : {', '.join(SECTION_KEYS)})"
        )
    return text


@dataclass(frozen=True, slots=True)
class ValidationRules:
    """What ``validate`` checks: required headings, severities, strictness."""

    required: tuple[str, ...] = SECTION_KEYS
    """Heading keys each sheet must have, in canonical order."""
    severities: Mapping[Code, Severity | None] = field(default_factory=dict)
    """Severity overrides; ``None`` means the code is not reported."""
    strict: bool = False
    """Warnings fail the check too."""
    rubriques: Mapping[str, str] = field(default_factory=dict)
    """A network's own titles -> heading keys (``[tool.fichekit.rubriques]``, see :func:`fichekit.headings.synonyms`)."""

    def severity(self, code: Code) -> Severity | None:
        """Severity a finding of ``code`` is reported with, or ``None`` when ignored."""
        return self.severities.get(code, DEFAULT_SEVERITY[code])

    def override(
        self,
        *,
        required: Iterable[str] | None = None,
        errors: Iterable[str] = (),
        warnings: Iterable[str] = (),
        ignore: Iterable[str] = (),
        strict: bool | None = None,
    ) -> ValidationRules:
        """These rules with command-line options applied on top (raises :class:`ConfigError`)."""
        new_required = self.required
        if required is not None:
            keys = {parse_heading_key(key, where="--require") for key in required}
            new_required = tuple(key for key in SECTION_KEYS if key in keys)
        overrides = _severity_lists(
            {
                "--error": (list(errors), Severity.ERROR),
                "--warning": (list(warnings), Severity.WARNING),
                "--ignore": (list(ignore), None),
            }
        )
        return replace(
            self,
            required=new_required,
            severities={**self.severities, **overrides},
            strict=self.strict if strict is None else strict,
        )


def _severity_lists(lists: Mapping[str, tuple[list[object], Severity | None]]) -> dict[Code, Severity | None]:
    """Merge ``errors``/``warnings``/``ignore`` lists (keyed by their label) into one override map."""
    chosen: dict[Code, tuple[str, Severity | None]] = {}
    for label, (values, severity) in lists.items():
        for value in values:
            if not isinstance(value, str):
                raise ConfigError(f"{label} : « {value!r} » n'est pas un code entre guillemets (\"FK002\")")
            code = parse_code(value, where=label)
            if code in _LOCKED and severity is not Severity.ERROR:
                raise ConfigError(
                    f"{label} : {code} (fichier illisible ou sans fiche) reste toujours une erreur : "
                    "un fichier non vérifié ne doit jamais passer"
                )
            if code in chosen and chosen[code][0] != label:
                raise ConfigError(f"{code} figure à la fois dans {chosen[code][0]} et {label} : choisissez l'un des deux")
            chosen[code] = (label, severity)
    return {code: severity for code, (_, severity) in chosen.items()}


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or one of its parents."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _load_toml(path: Path, what: str) -> dict[str, object]:
    """A TOML settings file, or a :class:`ConfigError` in French (``what`` names it: « configuration »…)."""
    import tomllib  # only when a settings file is read: most runs have none
    if path.exists() and not path.is_file():
        # A FIFO or a device would block (or never end): settings live in a regular file.
        raise ConfigError(f"{what} : il doit être un fichier ordinaire (pas un dossier ni un tube)", path=path)
    try:
        with open(path, "rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        raise ConfigError(f"{what} introuvable", path=path) from None
    except OSError as exc:
        raise ConfigError(f"{what} illisible ({french_os_error(exc)})", path=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} illisible : ce fichier n'est pas en UTF-8 (octet {exc.start + 1})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message is English; only its position is worth passing on.
        position = _TOML_POSITION.search(str(exc))
        raise ConfigError(
            "TOML invalide : corrigez la syntaxe du fichier",
            path=path,
            line=int(position.group(1)) if position else None,
        ) from None


def _read_table(path: Path, *, explicit: bool) -> dict[str, object] | None:
    document = _load_toml(path, "fichier de configuration")
    tool = document.get("tool", {})
    table = tool.get("fichekit") if isinstance(tool, dict) else None
    if table is None:
        if explicit:
            raise ConfigError(f"aucune table [{TABLE}] dans ce fichier", path=path)
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"[{TABLE}] doit être une table", path=path)
    return table


def _rules_from_table(table: Mapping[str, object]) -> ValidationRules:
    unknown = [key for key in table if key not in _KEYS]
    if unknown:
        raise ConfigError(f"[{TABLE}] clé inconnue « {unknown[0]} » (clés possibles : {', '.join(_KEYS)})")
    required = SECTION_KEYS
    if "required" in table:
        values = table["required"]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ConfigError(f"[{TABLE}] required doit être une liste de rubriques, par exemple required = [\"localisation\"]")
        keys = {parse_heading_key(key, where=f"[{TABLE}] required") for key in values}
        required = tuple(key for key in SECTION_KEYS if key in keys)
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"[{TABLE}] strict doit valoir true ou false")
    lists: dict[str, tuple[list[object], Severity | None]] = {}
    for name, severity in _LIST_KEYS.items():
        values = table.get(name, [])
        if not isinstance(values, list):
            raise ConfigError(f"[{TABLE}] {name} doit être une liste, par exemple {name} = [\"FK104\"]")
        lists[f"[{TABLE}] {name}"] = (values, severity)
    return ValidationRules(
        required=required, severities=_severity_lists(lists), strict=strict, rubriques=parse_rubriques(table.get("rubriques", {}))
    )


def parse_rubriques(table: object, *, where: str = f"[{TABLE}.rubriques]") -> dict[str, str]:
    """``{"cles_du_succes": ["Facteurs de réussite"]}`` -> ``{"Facteurs de réussite": "cles_du_succes"}``, checked."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} doit être une table, par exemple cles_du_succes = [\"Facteurs de réussite\"]")
    titles: dict[str, str] = {}
    for key, values in table.items():
        parse_heading_key(key, where=where)
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise ConfigError(f"{where} {key} doit être une liste de titres, par exemple {key} = [\"Mon titre\"]")
        for title in values:
            if title in titles and titles[title] != key:
                raise ConfigError(f"{where} le titre « {title} » est donné à deux rubriques ({titles[title]} et {key})")
            titles[title] = key
    return titles


def load_rubriques(path: Path) -> dict[str, str]:
    """The titles of ``--rubriques FILE``: a TOML file with a ``[rubriques]`` (or ``[tool.fichekit.rubriques]``) table."""
    document = _load_toml(path, "fichier de rubriques")
    tool = document.get("tool", {})
    table = document.get("rubriques")
    if table is None and isinstance(tool, dict) and isinstance(tool.get("fichekit"), dict):
        table = tool["fichekit"].get("rubriques")
    if table is None:
        raise ConfigError("aucune table [rubriques] dans ce fichier", path=path)
    try:
        return parse_rubriques(table, where="[rubriques]")
    except ConfigError as exc:
        raise ConfigError(exc.message, path=path) from None


def project_rubriques(start: Path | None = None) -> dict[str, str]:
    """The ``[tool.fichekit.rubriques]`` of the nearest ``pyproject.toml`` (empty without one)."""
    path = find_pyproject(start or Path.cwd())
    if path is None:
        return {}
    table = _read_table(path, explicit=False)
    if table is None or "rubriques" not in table:
        return {}
    try:
        return parse_rubriques(table["rubriques"])
    except ConfigError as exc:
        raise ConfigError(exc.message, path=path) from None


def load_rules(config: Path | None = None, *, start: Path | None = None) -> ValidationRules:
    """Rules from ``config``, else from the nearest ``pyproject.toml`` above ``start`` (default: cwd).

    Raises :class:`ConfigError`, tied to the file, when the settings are invalid.
    """
    path = config if config is not None else find_pyproject(start or Path.cwd())
    if path is None:
        return ValidationRules()
    table = _read_table(path, explicit=config is not None)
    if table is None:
        return ValidationRules()
    try:
        return _rules_from_table(table)
    except ConfigError as exc:
        raise ConfigError(exc.message, path=path) from None
