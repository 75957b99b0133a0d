#!/usr/bin/env python3
"""An interop implementation in Python that the conformance harness tests over stdio (specs/adapter-protocol.md).

    node bin/interop-conformance.js run --adapter stdio --command "python3 examples/python-adapter/adapter.py"

JSON lines both ways: the harness writes one request a line on stdin ({"id", "op", ...}), this program answers
each on stdout ({"id", "ok": true, "result"} or {"id", "ok": false, "error": {"message"}}); stderr is its log.
It exits on `shutdown` or at the end of stdin. Python 3 (tested with 3.11), standard library only.

EXAMPLE_FAULT=skip-block-check switches on a demo fault (interop/rules.py), to see the suite catch it.
"""

import json
import os
import sys

# Run from a checkout: leave no __pycache__ folders in it.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from interop.actions import perform  # noqa: E402  (after the path above: runnable from any folder)
from interop.world import World  # noqa: E402

PROTOCOL = 1
KNOWN_FAULTS = {"skip-block-check"}
# Everything the suite can ask except `wire`: probes are hostile requests over a network API, and over a wire the
# harness also credits every step to the API document (WIRE-001); this example has no network API.
CAPABILITIES = ["search", "chat", "call", "relationship", "presence", "admin", "coexistence", "deployment"]


def log(message):
    print(f"python-example: {message}", file=sys.stderr, flush=True)


class Adapter:
    def __init__(self, faults):
        self.faults = faults
        self.sessions = {}
        self.opened = 0

    def hello(self, req):
        if req.get("protocol") != PROTOCOL:
            raise ValueError(f"this example speaks protocol {PROTOCOL}, not {req.get('protocol')!r}")
        name = "python-example" + (f"({','.join(sorted(self.faults))})" if self.faults else "")
        # Deliveries are in the inbox before `perform` answers: nothing can arrive later, so no settle window.
        return {"name": name, "capabilities": CAPABILITIES, "settleMs": 0}

    def open(self, req):
        self.opened += 1
        session = f"s{self.opened}"
        self.sessions[session] = World(req["world"], self.faults)
        return {"session": session}

    def world(self, req):
        w = self.sessions.get(req.get("session"))
        if w is None:
            raise ValueError(f"no open session {req.get('session')!r}")
        return w

    def perform(self, req):
        return perform(self.world(req), req["actor"], req["action"])

    def drain(self, req):
        return {"deliveries": self.world(req).drain(req["user"])}

    def close(self, req):
        self.world(req)
        del self.sessions[req["session"]]
        return {}

    def shutdown(self, req):
        return {}


def answer(message):
    # ASCII-only JSON: the line reads the same whatever encoding the pipe is taken to have.
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def serve(adapter, lines):
    ops = {name: getattr(adapter, name) for name in ("hello", "open", "perform", "drain", "close", "shutdown")}
    for raw in lines:
        if not raw.strip():
            continue
        try:
            req = json.loads(raw)
        except ValueError as e:
            log(f"a request that is not JSON, ignored: {e}")
            continue
        if not isinstance(req, dict) or not isinstance(req.get("id"), int):
            log("a request without a whole-number id, ignored")
            continue
        op = ops.get(req.get("op"))
        try:
            if op is None:
                raise ValueError(f"unknown op {req.get('op')!r}")
            answer({"id": req["id"], "ok": True, "result": op(req)})
        except Exception as e:  # an answer, not a crash: the harness makes it the step's `error` verdict
            message = f"{req.get('op')} failed: {type(e).__name__}: {e}"
            log(message)
            answer({"id": req["id"], "ok": False, "error": {"message": message}})
        if req.get("op") == "shutdown":
            return


def main():
    faults = {f for f in os.environ.get("EXAMPLE_FAULT", "").split(",") if f}
    unknown = faults - KNOWN_FAULTS
    if unknown:
        log(f"unknown EXAMPLE_FAULT {', '.join(sorted(unknown))}; known: {', '.join(sorted(KNOWN_FAULTS))}")
        return 2
    if faults:
        log(f"demo fault on: {', '.join(sorted(faults))}")
    # Read line by line as the requests come (iterating a pipe in text mode may wait for a full buffer).
    lines = iter(lambda: sys.stdin.buffer.readline().decode("utf-8", errors="replace"), "")
    serve(Adapter(faults), lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
