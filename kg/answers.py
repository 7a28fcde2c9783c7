"""The endpoint's memory of its answers: the graph never changes while ``kg serve`` runs, so a query asked again (the
query page's examples, a dashboard, a client retrying) is answered with the bytes it got before, without a worker.

Two layers, each keeping only successful answers, none larger than :data:`LARGEST_ANSWER`, the least recently used
dropped once they add up to more than their budget:

- :class:`RememberedResponses`, pure ASGI middleware in front of everything: a ``GET /sparql`` with the same query
  string and ``Accept`` header as one answered before gets that whole response (headers included) at once;
- :class:`AnswerCache`, by the query's text and the formats the request accepts, for what the first layer cannot
  key on (a POSTed query, the same query asked with other parameters).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import NamedTuple

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LARGEST_ANSWER = 1024 * 1024
DEFAULT_BUDGET = 32 * 1024 * 1024


class Answer(NamedTuple):
    """What the endpoint sends back: status, Content-Type and body."""

    status: int
    content_type: str
    body: bytes


class LeastRecentlyUsed:
    """Values by key within a budget of bytes, the least recently used dropped first."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.size = 0
        self._values: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable):
        found = self._values.get(key)
        if found is None:
            return None
        self._values.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, value: object, size: int) -> None:
        if key in self._values or size > min(LARGEST_ANSWER, self.budget):
            return
        self._values[key] = (value, size)
        self.size += size
        while self.size > self.budget:
            _, (_, dropped) = self._values.popitem(last=False)
            self.size -= dropped


class AnswerCache(LeastRecentlyUsed):
    """Successful answers by (query text, acceptable formats)."""

    def get(self, query_text: str, acceptable: tuple[str, ...]) -> Answer | None:  # type: ignore[override]
        return super().get((query_text, acceptable))

    def put(self, query_text: str, acceptable: tuple[str, ...], answer: Answer) -> None:  # type: ignore[override]
        if answer.status == 200:
            super().put((query_text, acceptable), answer, len(answer.body))


class RememberedResponses:
    """Pure ASGI middleware: the same ``GET`` of ``path`` (query string, Accept and Host headers) gets the same 200
    response, sent from memory."""

    def __init__(self, app: ASGIApp, path: str = "/sparql", budget: int = DEFAULT_BUDGET) -> None:
        self.app = app
        self.path = path
        self.responses = LeastRecentlyUsed(budget)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        accept = b",".join(value for name, value in scope["headers"] if name == b"accept")
        host = b",".join(value for name, value in scope["headers"] if name == b"host")  # the service description names it
        key = (scope["query_string"], accept, host)
        remembered = self.responses.get(key)
        if remembered is not None:
            start, body = remembered
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        started: list[Message] = []
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.append(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keeping)
        if started and started[0]["status"] == 200:
            body = b"".join(chunks)
            start = {**started[0], "headers": list(started[0].get("headers", []))}
            self.responses.put(key, (start, body), len(body))
