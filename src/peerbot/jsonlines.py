"""Reading one line of JSON Lines input, with every failure as ``BadInput``."""

from __future__ import annotations

import json
from typing import Any

from peerbot.errors import BadInput


def parse_json_line(line: str | bytes, where: str) -> Any:
    """One JSON value, or ``BadInput`` naming the line: also for input Python's JSON reader
    cannot take (nesting deeper than its recursion limit, an integer over 4,300 digits)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise BadInput(f"{where}: JSON nested too deeply") from None
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise BadInput(f"{where}: a number in it is too long") from None
