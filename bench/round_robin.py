"""A tiny round-robin HTTP proxy standing in for a Knative Service with two pods: each POST goes to the next backend
in turn, unchanged (ce-* headers and body), and the backend's answer comes back unchanged. It logs one JSON line per
request: time, backend, ce-id, HTTP status, latency, and the outcomes the function answered per object (to count
duplicates). Benchmark tooling only, standard library only, never a product part.

Usage: python3 bench/round_robin.py PORT LOG.jsonl BACKEND_URL...
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log_path, backends = int(sys.argv[1]), sys.argv[2], [urllib.parse.urlsplit(b) for b in sys.argv[3:]]
counter = 0
lock = threading.Lock()
log = open(log_path, "a", buffering=1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global counter
        with lock:
            backend = backends[counter % len(backends)]
            counter += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items() if k.lower().startswith("ce-") or k.lower() == "content-type"}
        t0 = time.monotonic()
        try:
            conn = http.client.HTTPConnection(backend.hostname, backend.port, timeout=600)
            conn.request("POST", backend.path or "/", body=body, headers=headers)
            resp = conn.getresponse()
            status, answer, retry_after = resp.status, resp.read(), resp.getheader("Retry-After")
            conn.close()
        except OSError as e:
            status, answer, retry_after = 502, json.dumps({"proxy": str(e)}).encode(), None
        outcomes = {}
        try:
            for o in json.loads(answer).get("objects", []):
                outcomes.setdefault(o.get("object"), []).append(o.get("outcome"))
        except (ValueError, AttributeError):
            pass
        with lock:
            log.write(json.dumps({"t": time.time(), "backend": backend.port, "id": self.headers.get("ce-id"),
                                  "status": status, "ms": round((time.monotonic() - t0) * 1000, 1),
                                  "outcomes": outcomes}) + "\n")
        self.send_response(status)
        if retry_after:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
