"""JSON-RPC as pygls speaks it, with every malformed request answered.

pygls turns a request whose parameters do not fit the method's type into an
exception logged and shown to the user, and the request is never answered: an
editor waiting for the answer hangs. Here such a request gets the JSON-RPC
error it deserves (``-32602`` invalid params, naming the method and the
problem), and a message that is not JSON at all gets ``-32700`` with a ``null``
id; the server keeps running either way.
"""

from __future__ import annotations

import json
import logging

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcParseError
from pygls.protocol import LanguageServerProtocol

logger = logging.getLogger(__name__)


class _Answered:
    """A message already answered with an error: nothing more to do."""

    jsonrpc = None


ANSWERED = _Answered()


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "parameters do not match the method"
    try:
        from cattrs import transform_error

        return "; ".join(transform_error(exc))[:500]
    except Exception:  # noqa: BLE001 - any readable reason will do
        return str(exc)[:500]


class NotelintProtocol(LanguageServerProtocol):
    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            msg_id = data.get("id") if isinstance(data, dict) else None
            if isinstance(data, dict) and "method" in data and isinstance(msg_id, (int, str)) \
                    and not isinstance(msg_id, bool):
                error = JsonRpcInvalidParams(f"invalid params for {data['method']}: {_reason(exc.__cause__)}")
                self._send_response(msg_id, error=error.to_response_error())
                return ANSWERED
            raise

    def handle_message(self, message):
        if message is ANSWERED:
            return
        if not hasattr(message, "jsonrpc"):  # valid JSON, but no JSON-RPC message (a list, a number)
            logger.warning("ignored a message that is not JSON-RPC: %.200r", message)
            return
        super().handle_message(message)


def answer_parse_error(protocol: LanguageServerProtocol, error: Exception) -> bool:
    """Answer a message that was not JSON (``-32700``, id null); True when it was one."""
    if not isinstance(error, json.JSONDecodeError):
        return False
    error = JsonRpcParseError(f"Parse error: {error}")
    # a plain message: the id must be written as null, not left out
    protocol._send_data({"jsonrpc": "2.0", "id": None, "error": {"code": error.code, "message": error.message}})
    return True
