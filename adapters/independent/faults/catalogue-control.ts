/** The independent fault catalogue, part: blocking and the tenant administration. See catalogue.ts. */
import type { CatalogueFault } from './types.js';

export const CONTROL_FAULTS: readonly CatalogueFault[] = [
  // ── blocking ──────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'privacy-settings-block-not-enforced',
    description:
      'A block laid from privacy settings puts the Skype user on the blocked-contacts list but is not enforced: their messages and calls still reach the Teams user. A block from the conversation works.',
    classes: ['multi-step'],
    breaks: ['BLOCK-001'],
  },
  {
    id: 'unblock-from-other-place-ignored',
    description:
      'A block laid in the conversation cannot be lifted from privacy settings (or the other way round): the two screens keep separate block lists, and unblocking from the other one answers OK and changes nothing.',
    classes: ['after-undo'],
    breaks: ['BLOCK-002'],
  },
  {
    id: 'held-messages-released-on-unblock',
    description:
      'Messages a blocked Skype user sent while blocked are held, not dropped, and all reach the Teams user when they unblock: the blocker reads what was sent while blocked.',
    classes: ['after-undo', 'replayed-event', 'delayed-event'],
    breaks: ['BLOCK-003', 'BLOCK-001'],
  },
  {
    id: 'blocked-caller-sent-to-voicemail',
    description:
      'A call to someone who blocks the caller goes to voicemail instead of ringing for the caller as an unblocked call would: a Skype user learns they are blocked when every call goes to voicemail.',
    classes: ['multi-step'],
    breaks: ['BLOCK-003'],
  },
  {
    id: 'block-applies-to-whole-email-domain',
    description:
      'Blocking one Skype user blocks every Skype user whose address has the same domain (a "block sender domain" rule reused for people): a second Skype contact at outlook.example is silently cut off too.',
    classes: ['second-conversation', 'leak-between-tenants'],
    breaks: ['BLOCK-001', 'CHAT-002', 'REQ-007'],
  },
  {
    id: 'blocked-list-in-block-order',
    description: 'The blocked-contacts list shows people in the order they were blocked, not sorted by name.',
    classes: ['reordered-event'],
    breaks: ['BLOCK-004'],
  },
  {
    id: 'unblocked-contact-stays-listed',
    description:
      'A Skype user who was unblocked stays on the blocked-contacts list (the list is a cache refreshed at sign-in), although they can chat again.',
    classes: ['stale-read', 'after-undo'],
    breaks: ['BLOCK-004'],
  },
  {
    id: 'skype-block-stops-messages-only',
    description:
      "A Skype user who blocks a Teams user's request stops the Teams user's messages, but the Teams user's calls still ring on Skype.",
    classes: ['one-direction'],
    breaks: ['BLOCK-005'],
  },
  {
    id: 'skype-block-tells-teams-sender',
    description:
      'A Teams user whose request a Skype user blocked is told so: their next message or call is refused "contact blocked", instead of being answered as sent.',
    classes: ['one-direction', 'wire-format'],
    breaks: ['BLOCK-005', 'BLOCK-003'],
  },
  {
    id: 'blocker-messages-still-delivered',
    description:
      'A user who blocks someone can still message them and the message is delivered: the block filters incoming traffic only.',
    classes: ['one-direction'],
    breaks: ['BLOCK-006'],
  },
  {
    id: 'blocker-message-lifts-block',
    description:
      'A Teams user who blocked a request and then writes to that Skype user silently unblocks and accepts them: the message goes through and the Skype user can write back.',
    classes: ['multi-step', 'after-undo'],
    breaks: ['BLOCK-006', 'REQ-005'],
  },
  {
    id: 'blocked-numbers-normalised',
    description:
      'Blocked phone numbers are listed as digits only ("+44 20 7946 0000" shows as "442079460000") and sorted on that form, not as the user typed them.',
    classes: ['content-altered'],
    breaks: ['BLOCK-007'],
  },
  {
    id: 'teams-colleague-blocks-missing-from-list',
    description:
      'Blocked Teams colleagues are missing from the blocked-contacts list: the list is built from the external (Skype) contacts and the phone numbers only.',
    classes: ['routing-by-client-type'],
    breaks: ['BLOCK-007'],
  },

  // ── administration ────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'org-switch-off-blocks-outbound-only',
    description:
      "With the org switch off, the tenant's users cannot message or call Skype users, but Skype users' messages and calls still reach them.",
    classes: ['one-direction'],
    breaks: ['ADMIN-001'],
  },
  {
    id: 'org-switch-keyed-by-tenant-name',
    description:
      'The org switch is stored by tenant name in a service-wide table: turning it off in one world turns it off for every tenant of that name in every other world open at the time.',
    classes: ['leak-between-worlds', 'per-tenant'],
    breaks: ['WIRE-002', 'ADMIN-001', 'ADMIN-002'],
  },
  {
    id: 'org-switch-back-on-not-restoring',
    description:
      'After the org switch is turned off and on again, users who tried to reach Skype users while it was off stay refused: their refusal is cached per user. Users who did not try are fine.',
    classes: ['after-undo', 'stale-read'],
    breaks: ['ADMIN-002'],
  },
  {
    id: 'org-switch-update-resets-deployment',
    description:
      'Changing the org switch writes the whole tenant configuration back with defaults: the public provider, the SRV record, the cloud and the enterprise application return to their default values, so a tenant that lacked a prerequisite suddenly has interop.',
    classes: ['partial-update'],
    breaks: ['ADMIN-006', 'ADMIN-007', 'ADMIN-008', 'CHAT-008'],
  },
  {
    id: 'enterprise-app-patch-resets-org-switch',
    description:
      'Changing the "Skype for Business Online" enterprise application re-provisions the tenant\'s federation settings from a template with the org switch on: a tenant that had turned Skype communication off has it back.',
    classes: ['partial-update', 'per-tenant'],
    breaks: ['ADMIN-001', 'ADMIN-002'],
  },
  {
    id: 'deployment-patch-clears-srv-when-omitted',
    description:
      'Changing only the public provider or the cloud clears the SIP federation SRV record: the update writes every field, and an omitted one is written as null. The tenant loses interop although the record was never touched.',
    classes: ['partial-update', 'per-tenant'],
    breaks: ['ADMIN-009', 'ADMIN-007'],
  },
  {
    id: 'user-policy-applied-tenant-wide',
    description:
      "Changing one user's external access policy changes it for every Teams user of the tenant: the policy is stored under the tenant's global policy instead of a per-user instance.",
    classes: ['leak-between-tenants', 'per-tenant'],
    breaks: ['ADMIN-003', 'ADMIN-004'],
  },
  {
    id: 'av-policy-checked-for-caller-only',
    description:
      "A Teams user whose policy denies audio/video with Skype users cannot call them, but Skype users' calls to that user still ring.",
    classes: ['one-direction'],
    breaks: ['ADMIN-004'],
  },
  {
    id: 'policy-patch-resets-missing-fields',
    description:
      "Updating one field of a user's external access policy resets the other one to its default (on): denying audio/video and then re-allowing Skype access gives the user audio/video back.",
    classes: ['partial-update'],
    breaks: ['ADMIN-004', 'ADMIN-003'],
  },
  {
    id: 'explicit-user-allow-overrides-org-switch',
    description:
      'A user whose policy an admin explicitly set to allow Skype access keeps it when the org switch is turned off: the user-level check returns early when a policy was set.',
    classes: ['multi-step', 'per-tenant'],
    breaks: ['ADMIN-005'],
  },
  {
    id: 'org-switch-off-spares-islands-users',
    description:
      'With the org switch off, users whose coexistence (upgrade) policy keeps them in Islands mode can still message and call Skype users: their Skype traffic goes through Skype for Business, where the switch is not enforced. The user-level policy wins over the org switch.',
    classes: ['routing-by-client-type', 'per-tenant'],
    breaks: ['ADMIN-005', 'ADMIN-001'],
  },
  {
    id: 'srv-priority-and-weight-ignored',
    description:
      'The SRV prerequisite is checked on target and port only: a record with the wrong priority or weight passes.',
    classes: ['per-tenant'],
    breaks: ['ADMIN-007'],
  },
  {
    id: 'only-gcc-high-and-dod-refused',
    description:
      'Interop is refused for GCC High and DoD tenants only; GCC and private-cloud tenants get it although F28 excludes them.',
    classes: ['per-tenant'],
    breaks: ['ADMIN-008'],
  },
  {
    id: 'deployment-repair-resets-relationships',
    description:
      "Repairing a prerequisite (provider, SRV record or cloud back to what is needed) re-provisions the tenant's federation: pending requests, connected conversations and blocks with Skype users are gone, and everyone starts as strangers.",
    classes: ['after-undo', 'multi-step'],
    breaks: ['ADMIN-009'],
  },
  {
    id: 'deployment-gates-on-first-contact-only',
    description:
      'The deployment prerequisites (provider, SRV record, cloud) are checked when a conversation starts only: a conversation already connected or a request already pending keeps working after a prerequisite is removed.',
    classes: ['multi-step', 'stale-read'],
    breaks: ['ADMIN-009', 'ADMIN-006', 'ADMIN-008'],
  },
  {
    id: 'relationship-checked-before-gates',
    description:
      'The relationship (the sender\'s own block, a request not yet accepted, a hidden Skype user, the silence towards a blocked sender) is checked before the tenant\'s gates: a Teams user whose org switch or policy refuses Skype is told "contact blocked" or "request not accepted" instead of the gate\'s error, and a Skype user writing to such a Teams user who blocks him is answered as if delivered instead of "recipient unavailable".',
    classes: ['per-tenant', 'multi-step'],
    breaks: ['ADMIN-001', 'ADMIN-003'],
  },
];
