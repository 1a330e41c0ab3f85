"""``notelint audit``: a whole vault's citation coverage, findings and link graph.

One run (every rule, as ``check`` would run it; :mod:`notelint.cli.audit`), then
:func:`~notelint.audit.collect.collect` builds an
:class:`~notelint.audit.model.AuditReport`, which three writers turn into an
HTML page (:mod:`.html`), a JSON file (the model itself) and a Markdown
summary (:mod:`.markdown`). An audit reports; it does not gate: exit 0 when
the reports were written, 2 on a usage, configuration, baseline or write error.

Imported only by ``notelint audit``: ``check`` never pays for it (nor for rich).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError

AuditError = OutputError  # a problem the user can fix (baseline, output file): one line, exit 2


def load_baseline(path: Path):
    """A previous audit JSON, validated against the model."""
    import json

    from pydantic import ValidationError

    from .model import AuditReport

    from ..config.limits import BASELINE_CAP
    from ..readfile import FileTooLarge, read_regular

    try:
        data = json.loads(read_regular(path, BASELINE_CAP[0]).decode("utf-8"))
    except FileTooLarge as exc:
        raise AuditError(f"cannot read baseline {path}: {exc.over(BASELINE_CAP[1])}") from None
    except OSError as exc:
        raise AuditError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AuditError(f"baseline {path} is not JSON: {exc}") from None
    try:
        return AuditReport.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = "/".join(str(p) for p in err["loc"]) or "(top)"
        raise AuditError(f"baseline {path} is not a notelint audit JSON: {where}: {err['msg']}") from None
