"""Errors raised by gridgov.

Every error raised on purpose by gridgov is a :class:`GridgovError`, and each also subclasses
the builtin a caller would otherwise catch (``ValueError``, ``LookupError``, ``OSError``…), so
``except ValueError`` keeps working for code that does not know gridgov. Each class carries a
stable ``code`` (``"GG" + digits``) that tools and translations can key on; codes are never
reused.

The tree::

    GridgovError                          GG000  (Exception)
    ├── StructureError                    GG100  (ValueError)   .problems: all problems found
    ├── ReferenceNotFoundError            GG110  (LookupError)  an id that is not in the structure
    ├── GridCodeError                     GG120  (ValueError)   a code that does not parse
    ├── TableError                        GG130  (ValueError)   bad rows in a columnar table
    ├── ProfileError                      GG200  (ValueError)   a profile file that is wrong
    │   └── UnknownProfileError           GG210  (LookupError)
    ├── RuleError                         GG220  (ValueError)
    ├── DataFileError                     GG300  (ValueError)   a file that does not load
    │   ├── UnsafeInputError              GG310                 too large or deep, a tag, a formula
    │   ├── LedgerError                   GG320                 a ledger with row/column problems
    │   ├── TableMismatchError            GG340                 a table file not the one saved with
    │   └── SpecError                     GG350                 a document that breaks gridgov.spec
    ├── SaveError                         GG330  (OSError)      a save that failed (old file kept)
    ├── ScoringError                      GG400  (ValueError)   degenerate or invalid scoring input
    │   └── CreditPolicyError             GG410
    ├── UnknownScorerError                GG420  (LookupError)  names the available scorers
    ├── PluginError                       GG430  (RuntimeError) a plug-in that breaks its contract
    ├── UnknownDatasetError               GG500  (LookupError)
    ├── DatasetError                      GG510  (ValueError)   generator arguments out of range
    ├── GraphError                        GG600  (ValueError)
    ├── ServiceError                      GG700  (ValueError)   cases, workflows and clocks
    │   ├── CalendarError                 GG710                 a date the calendar cannot answer
    │   ├── TemplateError                 GG720                 a workflow template that is wrong
    │   ├── EventLogError                 GG730                 an event log with problems
    │   └── StoreError                    GG740                 a case store refusing or failing
    ├── AssessError                       GG800  (ValueError)   a bad scheme, indicator or rating
    ├── PrivacyError                      GG370  (ValueError)   unknown level, missing key, no flag
    └── MissingExtraError                 GG900  (ImportError)  "install gridgov[io] for …"

Examples
--------
>>> from gridgov.errors import StructureError, Problem
>>> err = StructureError([Problem(code="dangling-reference", location="grid:G1", message="x")])
>>> isinstance(err, ValueError), err.code
(True, 'GG100')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AssessError",
    "CalendarError",
    "CreditPolicyError",
    "DataFileError",
    "DatasetError",
    "EventLogError",
    "GraphError",
    "GridCodeError",
    "GridgovError",
    "LedgerError",
    "MissingExtraError",
    "PluginError",
    "PrivacyError",
    "Problem",
    "ProfileError",
    "ReferenceNotFoundError",
    "RuleError",
    "SaveError",
    "ScoringError",
    "ServiceError",
    "SpecError",
    "StoreError",
    "StructureError",
    "TableError",
    "TableMismatchError",
    "TemplateError",
    "UnknownDatasetError",
    "UnknownProfileError",
    "UnknownScorerError",
    "UnsafeInputError",
    "missing_extra",
]


class GridgovError(Exception):
    """Root of every error gridgov raises on purpose."""

    code = "GG000"

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (``"en"`` or ``"zh"``; default ``$GRIDGOV_LANG`` or English).

        ``str(error)`` stays English; see :mod:`gridgov._i18n` for how messages are translated.

        Examples
        --------
        >>> DataFileError("x.csv: no such file").text("zh")
        'x.csv：没有这个文件'
        """
        from gridgov._i18n import translate

        return translate(str(self), lang)


@dataclass(frozen=True, slots=True)
class Problem:
    """One integrity problem: where it is, a stable code, and a sentence.

    ``location`` names the entity (``"grid:G001"``) or file position (``"households.csv:12:size"``).
    """

    code: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: [{self.code}] {self.message}"

    def text(self, lang: str | None = None) -> str:
        """Like ``str(problem)`` with the message in ``lang`` (location and code unchanged).

        Examples
        --------
        >>> Problem("missing", "ledger.csv:3:size", "required").text("zh")
        'ledger.csv:3:size: [missing] 必填'
        """
        from gridgov._i18n import translate

        return f"{self.location}: [{self.code}] {translate(self.message, lang)}"


def _summarise(problems: Sequence[Problem], limit: int = 20, lang: str = "en") -> str:
    from gridgov._i18n import translate

    first = translate(f"{len(problems)} problem(s):", lang)
    head = "\n".join(f"  - {p.text(lang)}" for p in problems[:limit])
    more = translate(f"… and {len(problems) - limit} more", lang) if len(problems) > limit else ""
    return f"{first}\n{head}" + (f"\n  {more}" if more else "")


class _ProblemsMixin:
    problems: tuple[Problem, ...]
    _prefix: str | None = None

    def _init_problems(self, problems: Iterable[Problem], prefix: str) -> str:
        self.problems = tuple(problems)
        self._prefix = prefix
        return f"{prefix}{_summarise(self.problems)}"

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang``: the first line and every problem, translated."""
        from gridgov._i18n import resolve_lang, translate

        if self._prefix is None:  # a message of its own (ProfileError): line by line
            return translate(str(self), lang)
        lang = resolve_lang(lang)
        return translate(self._prefix, lang) + _summarise(self.problems, lang=lang)

    @property
    def codes(self) -> list[str]:
        """Problem codes in the order found."""
        return [p.code for p in self.problems]


class StructureError(_ProblemsMixin, GridgovError, ValueError):
    """A structure that breaks integrity; ``.problems`` lists *every* problem found."""

    code = "GG100"

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        prefix = f"{source}: " if source else ""
        super().__init__(self._init_problems(problems, f"{prefix}invalid structure, "))


class ReferenceNotFoundError(GridgovError, LookupError):
    """An id that names nothing in the structure."""

    code = "GG110"


class GridCodeError(GridgovError, ValueError):
    """A grid code that does not parse under its scheme."""

    code = "GG120"


class TableError(_ProblemsMixin, GridgovError, ValueError):
    """Rows of a columnar table (households, areas, links) that fail validation."""

    code = "GG130"

    def __init__(self, problems: Iterable[Problem], *, table: str) -> None:
        super().__init__(self._init_problems(problems, f"{table}: "))


class ProfileError(_ProblemsMixin, GridgovError, ValueError):
    """A profile file that is malformed or inconsistent; ``.problems`` lists every reason.

    The message holds every reason too, one line each (``.problems`` is empty when the
    message is a single reason, e.g. a file that is not TOML).
    """

    code = "GG200"

    def __init__(self, message: str = "", *, problems: Iterable[Problem] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(message)


class UnknownProfileError(ProfileError, LookupError):
    """A profile name that is not shipped and is not a file."""

    code = "GG210"


class RuleError(GridgovError, ValueError):
    """A rule that is unknown or badly parameterised."""

    code = "GG220"


class DataFileError(GridgovError, ValueError):
    """A file that cannot be read as what it claims to be; the message names the file."""

    code = "GG300"


class UnsafeInputError(DataFileError):
    """Input refused for safety: too large, too deeply nested, a YAML tag, a formula."""

    code = "GG310"


class LedgerError(_ProblemsMixin, DataFileError):
    """A household ledger with problems; ``.problems`` name row and column."""

    code = "GG320"

    def __init__(self, problems: Iterable[Problem], *, source: str) -> None:
        super().__init__(self._init_problems(problems, f"{source}: ledger rejected, "))


class TableMismatchError(DataFileError):
    """A table file whose SHA-256 is not the one its main file records (a mixture of saves)."""

    code = "GG340"


class SpecError(_ProblemsMixin, DataFileError):
    """A document that does not conform to :mod:`gridgov.spec`; ``.problems`` name each place."""

    code = "GG350"

    def __init__(self, problems: Iterable[Problem], *, source: str) -> None:
        super().__init__(self._init_problems(problems, f"{source}: does not conform, "))


class SaveError(GridgovError, OSError):
    """A save that failed; the previous file is left intact."""

    code = "GG330"


class ScoringError(GridgovError, ValueError):
    """Scoring input that is invalid or degenerate for the chosen method."""

    code = "GG400"


class CreditPolicyError(ScoringError):
    """A credit policy that is inconsistent (overlapping bands, unknown grade…)."""

    code = "GG410"


class UnknownScorerError(GridgovError, LookupError):
    """A scorer name that is not registered; the message lists the available names."""

    code = "GG420"


class PluginError(GridgovError, RuntimeError):
    """A plug-in that does not honour its protocol."""

    code = "GG430"


class UnknownDatasetError(GridgovError, LookupError):
    """A dataset name that is not bundled."""

    code = "GG500"


class DatasetError(GridgovError, ValueError, TypeError):
    """Arguments a dataset generator cannot take: out of range, of the wrong type, unknown.

    It is a ``TypeError`` too, so code that caught the builtin for an unknown option still
    works.
    """

    code = "GG510"


class GraphError(GridgovError, ValueError):
    """A graph that does not fit the analysis asked of it."""

    code = "GG600"


class ServiceError(GridgovError, ValueError):
    """A case, workflow template, event log or working-time clock that cannot be used."""

    code = "GG700"


class CalendarError(ServiceError):
    """A date outside the years the working calendar covers, or a bad calendar argument."""

    code = "GG710"


class TemplateError(_ProblemsMixin, ServiceError):
    """A workflow template that is malformed or fails its static checks; ``.problems`` lists all."""

    code = "GG720"

    def __init__(self, problems: Iterable[Problem], *, template: str) -> None:
        super().__init__(self._init_problems(problems, f"template {template}: "))


class EventLogError(_ProblemsMixin, ServiceError):
    """An event log whose rows fail validation; ``.problems`` names every row and column."""

    code = "GG730"

    def __init__(self, problems: Iterable[Problem], *, source: str) -> None:
        super().__init__(self._init_problems(problems, f"{source}: invalid event log, "))


class StoreError(_ProblemsMixin, ServiceError):
    """A case store that cannot be opened or refuses a write; ``.problems`` says why.

    Problem codes are stable (``not-a-store``, ``forbidden-transition``, ``busy`` …; see
    :mod:`gridgov.service.store`). A refused write leaves the store unchanged.
    """

    code = "GG740"

    def __init__(self, problems: Iterable[Problem], *, store: str) -> None:
        super().__init__(self._init_problems(problems, f"case store {store}: "))


class AssessError(GridgovError, ValueError):
    """An assessment that cannot be made: a wrong scheme, indicator, ratings file or period."""

    code = "GG800"


class PrivacyError(GridgovError, ValueError):
    """A privacy level that is unknown, a ``research`` export without a key, ``full`` unasked."""

    code = "GG370"


class MissingExtraError(GridgovError, ImportError):
    """An optional dependency that is not installed; the message names the extra."""

    code = "GG900"


def missing_extra(module: str, extra: str, purpose: str) -> MissingExtraError:
    """Build the error raised when an optional module is missing.

    Examples
    --------
    >>> str(missing_extra("yaml", "io", "YAML files"))
    "YAML files need the optional module 'yaml': pip install 'gridgov[io]'"
    """
    return MissingExtraError(
        f"{purpose} need the optional module {module!r}: pip install 'gridgov[{extra}]'"
    )
