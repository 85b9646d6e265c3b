"""FAKE generative LLM: an OpenAI-compatible chat-completions endpoint that echoes.

No generative model can run on this machine (no weights ship with the project), so tests
that need one (HyDE) point GenerationService at this stand-in. It streams back the prompt
it was given, so anything a generator saw can be checked for in what it wrote.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _EchoHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        prompt = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
        words = ("A passage about: " + prompt[-400:]).split(" ")
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for i, word in enumerate(words):
            piece = word if i == 0 else " " + word
            chunk = {"choices": [{"delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, format: str, *args: object) -> None:
        return


class FakeLLM:
    """Serves on a free loopback port in a background thread until ``close()``."""

    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
