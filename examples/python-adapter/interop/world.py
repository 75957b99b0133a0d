"""One world's state, and the tenant gates that guard every exchange across the interop.

The state is changed only by `World.append(events)`: a decision (rules.py) is computed first, and only a decision
that raised no Refusal is applied, so a refused action never leaves half of itself behind. Each `delivered` event
lands in its recipient's inbox, which the harness drains.

A gateway wrapping a real system keeps none of this: its adapter turns each action into a call of its own API and
reads deliveries from wherever that system sends them (a webhook, a queue, a socket). See ../README.md.
"""

import copy
import time

# The SRV record F27 asks for: any other value leaves the tenant undeployed (gate 3).
REQUIRED_SRV = {"target": "sipfed.online.lync.com", "port": 5061, "priority": 100, "weight": 1}


class Refusal(Exception):
    """The actor is told no: `code` is one of the protocol's error codes (specs/protocol.ts ERROR_CODES)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def pair_key(a, b):
    """One key per unordered pair: a pair has one relationship, one chat, at most one call."""
    return (a, b) if a < b else (b, a)


def surface_of(person):
    """Where the recipient sees it (F8, REQ-008, REQ-009): Islands users get Skype traffic in Skype for Business."""
    if person["kind"] == "skype":
        return "skype"
    return "skype-for-business" if person["mode"] == "Islands" else "teams"


class World:
    def __init__(self, spec, faults=frozenset()):
        # A copy: a later change in this world must never reach back into the spec another world was made from.
        self.tenants = copy.deepcopy(spec["tenants"])
        self.users = copy.deepcopy(spec["users"])
        self.faults = faults
        self.relationships = {}  # pair key -> {"initiator", "recipient", "stage": "pending" | "decided"}
        self.blocks = {}  # blocker -> set of names
        self.blocked_numbers = {}  # blocker -> set of phone numbers, as typed
        self.calls = {}  # pair key -> {"caller", "callee", "media", "stage", "caller_only"}
        self.messages = {}  # pair key -> [{"from", "to", "text", "in_request"}], in the order written
        self.inbox = {}  # user -> deliveries not yet drained, oldest first

    # -- reading -------------------------------------------------------------------------------------------------

    def person(self, name):
        user = self.users.get(name)
        if user is None or user["kind"] == "admin":
            raise Refusal("bad-request", f"{name} is not a Teams or Skype user of this world")
        return user

    def blocks_user(self, blocker, other):
        return other in self.blocks.get(blocker, ())

    def drain(self, user):
        return self.inbox.pop(user, [])

    # -- the gates (PROTOCOL.md "Gates, in this order": the first that refuses decides) ---------------------------

    def closed_gate(self, teams, exchange):
        """The first gate refusing this Teams user for `exchange` ('message', 'call' or 'search'), else None."""
        t = self.tenants[teams["tenant"]]
        srv = t["sipFederationSrv"]
        if t["cloud"] != "commercial":  # F28, ADMIN-008
            return "interop-unavailable"
        if t["publicProvider"] != "WindowsLive":  # F26, ADMIN-006
            return "interop-unavailable"
        if srv is None or any(srv.get(k) != v for k, v in REQUIRED_SRV.items()):  # F27, ADMIN-007
            return "interop-unavailable"
        if not t["allowPublicUsers"]:  # the org switch wins over any user policy (ADMIN-001, ADMIN-005)
            return "skype-access-disabled"
        if not teams["policy"]["enablePublicCloudAccess"]:  # ADMIN-003
            return "skype-access-disabled"
        if exchange == "call" and not teams["policy"]["enablePublicCloudAudioVideoAccess"]:  # ADMIN-004
            return "audio-video-disabled"
        if exchange == "message" and not t["skypeForBusinessOnlineApp"]:  # F19, CHAT-008
            return "chat-service-unavailable"
        return None

    def pass_gates(self, actor, other, exchange):
        """A Teams actor is told which gate refused; a Skype actor only that the recipient is unavailable."""
        teams = actor if actor["kind"] == "teams" else other if other["kind"] == "teams" else None
        if teams is None:
            return
        closed = self.closed_gate(teams, exchange)
        if closed is None:
            return
        if actor is teams:
            raise Refusal(closed, f"{teams['name']}'s tenant does not allow this ({closed})")
        raise Refusal("recipient-unavailable", f"{other['name']} cannot be reached")

    # -- changing ------------------------------------------------------------------------------------------------

    def append(self, events):
        for e in events:
            self._apply(e)

    def _apply(self, e):
        kind = e["type"]
        if kind == "delivered":
            # Stamped by this system's clock as it lands: the harness reports that latency beside its own.
            d = {**e["delivery"], "deliveredAt": int(time.time() * 1000)}
            self.inbox.setdefault(d["to"], []).append(d)
        elif kind == "request-opened":
            self.relationships[pair_key(e["from"], e["to"])] = {
                "initiator": e["from"],
                "recipient": e["to"],
                "stage": "pending",
            }
        elif kind == "message-written":
            self.messages.setdefault(pair_key(e["from"], e["to"]), []).append(
                {"from": e["from"], "to": e["to"], "text": e["text"], "in_request": e["in_request"]}
            )
        elif kind == "request-accepted":
            self.relationships[pair_key(e["by"], e["from"])]["stage"] = "decided"
        elif kind == "contact-blocked":
            self.blocks.setdefault(e["by"], set()).add(e["user"])
            r = self.relationships.get(pair_key(e["by"], e["user"]))
            # Blocking a pending request one received decides it (REQ-005): a block never acts as accepting.
            if r and r["stage"] == "pending" and r["recipient"] == e["by"]:
                r["stage"] = "decided"
        elif kind == "contact-unblocked":
            self.blocks.get(e["by"], set()).discard(e["user"])
        elif kind == "number-blocked":
            self.blocked_numbers.setdefault(e["by"], set()).add(e["phone"])
        elif kind == "number-unblocked":
            self.blocked_numbers.get(e["by"], set()).discard(e["phone"])
        elif kind == "call-rang":
            self.calls[pair_key(e["caller"], e["callee"])] = {
                "caller": e["caller"],
                "callee": e["callee"],
                "media": e["media"],
                "stage": "ringing",
                "caller_only": e["caller_only"],
            }
        elif kind == "call-answered":
            self.calls[pair_key(e["by"], e["caller"])]["stage"] = "connected"
        elif kind == "call-ended":
            self.calls.pop(pair_key(e["a"], e["b"]), None)
        elif kind == "video-added":
            self.calls[pair_key(e["by"], e["other"])]["media"] = "video"
        elif kind == "searchability-changed":
            self.users[e["user"]]["searchable"] = e["searchable"]
        elif kind == "policy-changed":
            # A partial update: only the fields the admin named change.
            self.users[e["user"]]["policy"].update(e["policy"])
        elif kind == "tenant-changed":
            self.tenants[e["tenant"]].update(copy.deepcopy(e["settings"]))
        else:
            raise ValueError(f"unknown event {kind}")
