"""A local language model's OpenAI-compatible endpoint, on 127.0.0.1.

``FakeLLM`` answers ``POST {url}/chat/completions`` the way Ollama and llama.cpp's
server do (``choices[0].message.content``) with the text a test sets, and records
every request. A test can make it slow (``delay``), fail (``status``), answer
something that is not the API's JSON (``body``) or stop listening (``down``).
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from fakes.receivers import HOST, HttpReceiver, Recorded

PATH = "/v1/chat/completions"


def completion(content: str, model: str = "fake-model") -> bytes:
    """A chat completion in the shape OpenAI documents, holding ``content``."""
    return json.dumps(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }
    ).encode()


class FakeLLM(HttpReceiver):
    """Set ``reply`` to the model's answer; ``body`` replaces the whole response body."""

    def __init__(self) -> None:
        super().__init__()
        self.reply = ""
        self.body: bytes | None = None
        self.content_type = "application/json"
        self.delay = 0.0  # seconds before the answer starts
        self.drip = 0.0  # seconds between the answer's bytes: a server that trickles

    @property
    def url(self) -> str:
        """The base URL a team writes as ``llm_url``."""
        return f"http://{HOST}:{self.port}/v1"

    def _answer(self) -> tuple[int, bytes]:
        if self.body is not None:
            return self.status, self.body
        if self.status >= 400:
            return self.status, b'{"error": {"message": "model failed", "type": "server_error"}}'
        return self.status, completion(self.reply)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.requests.append(
                    Recorded(self.command, self.path, dict(self.headers.items()), body)
                )
                if fake.delay:
                    time.sleep(fake.delay)
                status, payload = fake._answer() if self.path == PATH else (404, b"not found")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", fake.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    step = 1 if fake.drip else max(1, len(payload))
                    for at in range(0, len(payload), step):
                        self.wfile.write(payload[at : at + step])
                        self.wfile.flush()
                        time.sleep(fake.drip)
                except OSError:
                    pass  # the client gave up waiting: that is what a slow test checks

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean; the requests list is the record

        return Handler
