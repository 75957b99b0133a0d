"""One action of one actor (specs/protocol.ts `Action`) -> what the actor is shown (`ActorOutcome`).

This is the part a real gateway's adapter rewrites: instead of calling rules.py on an in-memory world, each branch
calls the system's own API as the actor and maps its answer (and its errors) onto the protocol's outcome.
"""

from . import rules
from .world import Refusal

# Checks that need no tenant come before the gates (PROTOCOL.md): groups, meetings and screen sharing do not cross
# the interop (CHAT-003, CALL-006, CALL-008).
UNSUPPORTED = {
    "group-chat": "unsupported-group",
    "meeting": "unsupported-group",
    "add-participant": "unsupported-group",
    "share-screen": "unsupported-screen-share",
}

# A tenant's admin changes its switches: the tenant setting each action sets, and the action's field that holds it.
TENANT_SETTINGS = {
    "set-org-switch": ("allowPublicUsers", "allowPublicUsers"),
    "set-enterprise-app": ("skypeForBusinessOnlineApp", "enabled"),
    "set-public-provider": ("publicProvider", "provider"),
    "set-sip-federation-srv": ("sipFederationSrv", "record"),
    "set-cloud": ("cloud", "cloud"),
}
NUMBER_EVENTS = {"block-number": "number-blocked", "unblock-number": "number-unblocked"}


def perform(w, actor_name, action):
    """The outcome of `action` taken by `actor_name` in world `w`: {"status": "ok", ...} or an error code."""
    try:
        return {"status": "ok", **_perform(w, actor_name, action)}
    except Refusal as r:
        return {"status": "error", "error": r.code}


def _perform(w, actor_name, a):
    kind = a["kind"]
    if kind == "probe":
        # Probes are hostile requests over a network API; this example has none and declares no `wire` capability,
        # so the harness skips scenarios that probe. A gateway with an HTTP API would try each attack against it.
        raise ValueError("this example has no network API to probe (it declares no 'wire' capability)")
    if kind in UNSUPPORTED:
        raise Refusal(UNSUPPORTED[kind], f"{kind} does not cross the interop")
    if kind in TENANT_SETTINGS or kind == "set-user-policy":
        _administer(w, w.users.get(actor_name) or {"kind": None, "name": actor_name}, a)
        return {}
    actor = w.person(actor_name)
    if kind == "search":
        return {"found": rules.search(w, actor, a)}
    if kind == "set-searchable":
        w.append([{"type": "searchability-changed", "user": actor_name, "searchable": a["value"]}])
        return {}
    if kind == "blocked-contacts":
        # The people the actor blocks, sorted by name, then the numbers, sorted as typed (BLOCK-004, BLOCK-007).
        people = sorted(w.blocks.get(actor_name, ()))
        return {"blocked": people + sorted(w.blocked_numbers.get(actor_name, ()))}
    if kind in NUMBER_EVENTS:  # F22: only their place on the blocked-contacts list is in scope
        w.append([{"type": NUMBER_EVENTS[kind], "by": actor_name, "phone": a["phone"]}])
        return {}
    other = w.person(a.get("to") or a.get("from") or a.get("with") or a.get("user") or a.get("of"))
    if kind == "block":  # one and the same block, whichever place lays it (F20)
        w.append([{"type": "contact-blocked", "by": actor_name, "user": other["name"]}])
        return {}
    if kind == "unblock":
        w.append([{"type": "contact-unblocked", "by": actor_name, "user": other["name"]}])
        return {}
    if kind == "presence":  # F14, CHAT-007: hidden across the interop, whichever side asks
        return {"presence": "hidden"}
    rules.require_across(actor, other)
    if kind == "message":
        rich = a.get("format") == "rich" or a.get("mentions") or "emoji" in a or "file" in a
        if rich:  # F10, CHAT-004: only plain text crosses; checked before the relationship, so it starts no request
            raise Refusal("unsupported-content", "only plain text crosses to Skype")
        w.append(rules.send_message(w, actor, other, a["text"]))
        return {}
    if kind == "call":
        if "onBehalfOf" in a:  # F18, CALL-007: no calls on someone's behalf (checked before the tenant)
            raise Refusal("delegation-unsupported", "a delegate cannot call a Skype user")
        events, reply = rules.place_call(w, actor, other, a["media"])
        w.append(events)
        return {"call": reply} if reply else {}
    if kind == "call-state":
        return {"callState": rules.call_state(w, actor, other)}
    if kind == "view-messages":
        return {"messages": rules.request_texts(w, actor, other)}
    decide = {
        "answer": rules.answer,
        "decline": rules.decline,
        "hang-up": rules.hang_up,
        "add-video": rules.add_video,
        "accept": rules.accept,
    }.get(kind)
    if decide is None:
        raise ValueError(f"unknown action {kind!r}")
    w.append(decide(w, actor, other))
    return {}


def _administer(w, admin, a):
    """A tenant's admin changes its switches (F19, F24-F28); these change later decisions, never deliver."""
    if admin["kind"] != "admin":
        raise Refusal("bad-request", f"{admin['name']} is not an admin")
    tenant = admin["tenant"]
    kind = a["kind"]
    if kind == "set-user-policy":
        policy = {k: a[k] for k in ("enablePublicCloudAccess", "enablePublicCloudAudioVideoAccess") if k in a}
        w.append([{"type": "policy-changed", "user": a["user"], "policy": policy}])
        return
    setting, field = TENANT_SETTINGS[kind]
    w.append([{"type": "tenant-changed", "tenant": tenant, "settings": {setting: a[field]}}])
