"""The decisions of a conversation between one Teams and one Skype user (specs/PROTOCOL.md).

Each function reads the world, and returns the events an action produces (or raises a Refusal); it changes
nothing itself. Checks run in the order of PROTOCOL.md: the tenant gates first, then the relationship.

EXAMPLE_FAULT=skip-block-check (a demo fault, see ../README.md) forgets that the recipient blocks the sender:
what should reach nobody is delivered, which the suite catches (BLOCK-001, BLOCK-003, BLOCK-005).
"""

from .world import Refusal, pair_key, surface_of


def deliver(to, sender, kind, surface, **fields):
    """What reaches `to` because `sender` acted; `fields`: the optional ones its kind carries (PROTOCOL.md)."""
    return {"type": "delivered", "delivery": {"to": to, "from": sender, "kind": kind, "surface": surface, **fields}}


def request_delivery(sender, recipient, content):
    """A first contact (REQ-001, REQ-002): `external` for the Teams user, `encrypted` when it carries text."""
    d = {"to": recipient["name"], "from": sender["name"], "kind": "request", "surface": surface_of(recipient)}
    d.update(content)
    if recipient["kind"] == "teams":
        d["external"] = True
    if "text" in content:
        d["encrypted"] = True
    return {"type": "delivered", "delivery": d}


def require_across(actor, other):
    """Only Teams <-> Skype exchanges are in scope."""
    if actor["kind"] == other["kind"]:
        raise Refusal("bad-request", f"{actor['name']} and {other['name']} are on the same platform")


def route_of(w, actor, other):
    """Where an exchange from `actor` to `other` goes, once the gates let it through."""
    if w.blocks_user(actor["name"], other["name"]):
        return "blocked-by-sender"  # checked first: the sender hears of their own block only (BLOCK-006)
    if w.blocks_user(other["name"], actor["name"]) and "skip-block-check" not in w.faults:
        return "dropped"  # F21: answered as if it went out, reaches nobody (BLOCK-001, BLOCK-003, BLOCK-005)
    r = w.relationships.get(pair_key(actor["name"], other["name"]))
    if r is None:
        # F5: a Teams user starts from the search results, which do not show a hidden Skype user (SEARCH-008).
        if actor["kind"] == "teams" and other["kind"] == "skype" and not other["searchable"]:
            raise Refusal("recipient-unavailable", f"{other['name']} cannot be reached")
        return "first-contact"
    if r["stage"] == "pending":
        return "more-request" if r["initiator"] == actor["name"] else "not-accepted"
    return "connected"


def refuse_route(route, other):
    if route == "blocked-by-sender":
        raise Refusal("contact-blocked", f"you block {other['name']}: unblock to continue")
    if route == "not-accepted":
        raise Refusal("request-not-accepted", f"accept {other['name']}'s request first")


def send_message(w, actor, other, text):
    w.pass_gates(actor, other, "message")
    route = route_of(w, actor, other)
    refuse_route(route, other)

    def written(in_request):
        a, b = actor["name"], other["name"]
        return {"type": "message-written", "from": a, "to": b, "text": text, "in_request": in_request}

    if route == "dropped":
        return []
    if route == "first-contact":
        opened = {"type": "request-opened", "from": actor["name"], "to": other["name"]}
        return [opened, written(True), request_delivery(actor, other, {"text": text})]
    if route == "more-request":  # the initiator writes again while pending (REQ-007)
        return [written(True), request_delivery(actor, other, {"text": text})]
    # Connected (CHAT-001, CHAT-002): a message, encrypted in transit and at rest (CHAT-005).
    message = deliver(other["name"], actor["name"], "message", surface_of(other), text=text, encrypted=True)
    return [written(False), message]


def goes_to_voicemail(caller, callee):
    """F16: a Skype user's call to a Teams user who forwards calls goes to voicemail (CALL-005)."""
    return caller["kind"] == "skype" and callee["kind"] == "teams" and callee["forwarding"] != "none"


def place_call(w, actor, other, media):
    """Returns (events, reply): reply is 'voicemail' when the call did not ring, else None."""
    w.pass_gates(actor, other, "call")
    route = route_of(w, actor, other)
    refuse_route(route, other)
    a, b = actor["name"], other["name"]
    # One call per pair: the pair's next call replaces whatever call it had.
    replaced = [{"type": "call-ended", "a": a, "b": b}] if pair_key(a, b) in w.calls else []

    def rang(caller_only):
        return {"type": "call-rang", "caller": a, "callee": b, "media": media, "caller_only": caller_only}

    if route == "first-contact":  # a call that is a request does not ring
        opened = {"type": "request-opened", "from": a, "to": b}
        return [opened, request_delivery(actor, other, {"media": media})], None
    if route == "more-request":
        return [request_delivery(actor, other, {"media": media})], None
    if route == "dropped":
        # BLOCK-003: the caller sees what an unblocked call would have shown; nobody else sees anything.
        if goes_to_voicemail(actor, other):
            return replaced, "voicemail"
        return replaced + [rang(True)], None
    if goes_to_voicemail(actor, other):
        return replaced + [deliver(b, a, "voicemail", surface_of(other))], "voicemail"
    return replaced + [rang(False), deliver(b, a, "call", surface_of(other), media=media)], None


def call_with(w, actor, other):
    """The pair's call as the actor may act on it: one ringing for the caller alone does not exist for the callee."""
    c = w.calls.get(pair_key(actor["name"], other["name"]))
    if c is None or (c["caller_only"] and c["callee"] == actor["name"]):
        return None
    return c


def ringing_for(w, actor, caller):
    c = call_with(w, actor, caller)
    if c is None or c["stage"] != "ringing" or c["callee"] != actor["name"]:
        raise Refusal("bad-request", f"no call from {caller['name']} is ringing")
    return c


def answer(w, actor, caller):
    ringing_for(w, actor, caller)
    notice = deliver(caller["name"], actor["name"], "call-answered", surface_of(caller))
    return [{"type": "call-answered", "by": actor["name"], "caller": caller["name"]}, notice]


def decline(w, actor, caller):
    ringing_for(w, actor, caller)
    notice = deliver(caller["name"], actor["name"], "call-declined", surface_of(caller))
    return [{"type": "call-ended", "a": actor["name"], "b": caller["name"]}, notice]


def hang_up(w, actor, other):
    c = call_with(w, actor, other)
    if c is None:
        raise Refusal("bad-request", f"no call with {other['name']}")
    ended = {"type": "call-ended", "a": actor["name"], "b": other["name"]}
    if c["caller_only"]:  # a call that rang for the caller alone ends without a word to anybody (BLOCK-003)
        return [ended]
    return [ended, deliver(other["name"], actor["name"], "call-ended", surface_of(other))]


def add_video(w, actor, other):
    c = call_with(w, actor, other)
    if c is None or c["stage"] != "connected" or c["media"] != "audio":
        raise Refusal("bad-request", f"no answered audio call with {other['name']}")
    notice = deliver(other["name"], actor["name"], "video-added", surface_of(other))
    return [{"type": "video-added", "by": actor["name"], "other": other["name"]}, notice]


def call_state(w, actor, other):
    """The call as the actor sees it now (F15): none, ringing or connected, with its media (CALL-003)."""
    c = call_with(w, actor, other)
    if c is None:
        return {"state": "none"}
    return {"state": c["stage"], "media": c["media"]}


def accept(w, actor, sender):
    r = w.relationships.get(pair_key(actor["name"], sender["name"]))
    if r is None or r["stage"] != "pending" or r["recipient"] != actor["name"]:
        raise Refusal("bad-request", f"no pending request from {sender['name']}")
    return [{"type": "request-accepted", "by": actor["name"], "from": sender["name"]}]


def request_texts(w, actor, sender):
    """The texts of the request from `sender`, in the order sent (REQ-006); the request stays pending."""
    r = w.relationships.get(pair_key(actor["name"], sender["name"]))
    if r is None or r["recipient"] != actor["name"]:
        raise Refusal("bad-request", f"no request from {sender['name']}")
    history = w.messages.get(pair_key(actor["name"], sender["name"]), [])
    return [m["text"] for m in history if m["in_request"] and m["from"] == sender["name"]]


def search(w, actor, query):
    """Only an email finds anyone (SEARCH-003, SEARCH-004), compared ignoring case (SEARCH-001, SEARCH-002)."""
    if "email" not in query:
        return []
    typed = query["email"].lower()
    found = []
    for u in w.users.values():
        if u["kind"] in ("admin", actor["kind"]) or u["email"].lower() != typed:
            continue
        teams = actor if actor["kind"] == "teams" else u
        if w.closed_gate(teams, "search") is not None:  # gates 1-5 (SEARCH-006): only message/call add 6 and 7
            continue
        if u["kind"] == "skype" and not u["searchable"]:  # F4, SEARCH-005
            continue
        found.append(u["name"])
    return found
