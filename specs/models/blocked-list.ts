/**
 * The rest of a Teams user's blocked-contacts list (F22): the other people (Teams users) and the phone numbers a
 * Teams user blocks, next to the Skype users the relationship model blocks. Only being on the list is in scope
 * (BLOCK-007): what such a block does to Teams ↔ Teams traffic or to phone calls is outside the interop.
 *
 * One machine per world. Blocking what is already blocked, or unblocking what is not, is out of scope (no rule
 * takes it, so the harness rejects the scenario), as for Skype users.
 */
import { and, assign, setup } from 'xstate';
import { rule, type Decision } from './rule.js';

export type EntryKind = 'person' | 'number';

/** `people`, `numbers`: what LIST_OTHERS shows, each sorted (names by name, numbers as written). */
export type BlockedListDecision = Decision<{ people?: string[]; numbers?: string[] }>;

export interface BlockedListContext {
  /** By Teams user: the people and the phone numbers they block, as entries `person:<name>` / `number:<digits>`. */
  blocked: Record<string, string[]>;
  decision: BlockedListDecision | null;
}

export type BlockedListEvent =
  | { type: 'BLOCK_OTHER'; by: string; kind: EntryKind; value: string }
  | { type: 'UNBLOCK_OTHER'; by: string; kind: EntryKind; value: string }
  | { type: 'LIST_OTHERS'; by: string };

const M = 'blocked-list';
type C = BlockedListContext;
type E = BlockedListEvent;
type Change = Extract<E, { type: 'BLOCK_OTHER' | 'UNBLOCK_OTHER' }>;

const key = (e: Change) => `${e.kind}:${e.value}`;
const listed = ({ context, event }: { context: C; event: E }) =>
  (context.blocked[(event as Change).by] ?? []).includes(key(event as Change));
const ofKind =
  (kind: EntryKind) =>
  ({ event }: { event: E }) =>
    (event as Change).kind === kind;
const entries = (c: C, by: string, kind: EntryKind) =>
  (c.blocked[by] ?? [])
    .filter((k) => k.startsWith(`${kind}:`))
    .map((k) => k.slice(kind.length + 1))
    .sort();
const change = (add: boolean) =>
  assign<C, E, undefined, E, never>({
    blocked: ({ context, event }) => {
      const e = event as Change;
      const rest = (context.blocked[e.by] ?? []).filter((k) => k !== key(e));
      return { ...context.blocked, [e.by]: add ? [...rest, key(e)] : rest };
    },
  });
const r = (name: string, extra: Record<string, unknown>) => rule<C, E, object>(M, name, ['BLOCK-007'], {}, extra);

export const blockedListMachine = setup({
  types: {} as { context: C; events: E },
  guards: {
    listed,
    notListed: (a) => !listed(a),
    person: ofKind('person'),
    hasOthers: ({ context, event }) => (context.blocked[event.by] ?? []).length > 0,
  },
}).createMachine({
  id: M,
  context: { blocked: {}, decision: null },
  initial: 'ready',
  states: {
    ready: {
      on: {
        BLOCK_OTHER: [
          r('person-blocked', { guard: and(['notListed', 'person']), actions: change(true) }),
          r('number-blocked', { guard: 'notListed', actions: change(true) }),
        ],
        UNBLOCK_OTHER: [
          r('person-unblocked', { guard: and(['listed', 'person']), actions: change(false) }),
          r('number-unblocked', { guard: 'listed', actions: change(false) }),
        ],
        LIST_OTHERS: [
          rule<C, E, object>(
            M,
            'others-listed',
            ['BLOCK-007'],
            ({ context, event }) => ({
              people: entries(context, event.by, 'person'),
              numbers: entries(context, event.by, 'number'),
            }),
            { guard: 'hasOthers' },
          ),
          rule<C, E, object>(M, 'no-others-listed', ['BLOCK-007'], { people: [], numbers: [] }),
        ],
      },
    },
  },
});
