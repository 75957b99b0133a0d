/**
 * The rest of a Teams user's blocked-contacts list (F22): the other people (Teams users) and the phone numbers a
 * Teams user blocks, next to the Skype users the relationship model blocks. Only being on the list is in scope
 * (BLOCK-007): what such a block does to Teams ↔ Teams traffic or to phone calls is outside the interop.
 *
 * One machine per world. Blocking what is already blocked, or unblocking what is not, is out of scope (no rule
 * takes it, so the harness rejects the scenario), as for Skype users.
 */
import { and, assign, setup, type ExtractEvent, type GuardArgs } from 'xstate';
import { rulesFor, type Decision } from './rule.js';

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
type Change = ExtractEvent<E, 'BLOCK_OTHER' | 'UNBLOCK_OTHER'>;

const key = (e: Change) => `${e.kind}:${e.value}`;
/** The guards of a change: whether its entry is on the list, and whether it is a person. */
const listed = ({ context, event }: GuardArgs<C, Change>) => (context.blocked[event.by] ?? []).includes(key(event));
const notListed = (args: GuardArgs<C, Change>) => !listed(args);
const person = ({ event }: GuardArgs<C, Change>) => event.kind === 'person';
const entries = (c: C, by: string, kind: EntryKind) =>
  (c.blocked[by] ?? [])
    .filter((k) => k.startsWith(`${kind}:`))
    .map((k) => k.slice(kind.length + 1))
    .sort();
const change = (add: boolean) =>
  assign<C, Change, undefined, E, never>({
    blocked: ({ context, event }) => {
      const rest = (context.blocked[event.by] ?? []).filter((k) => k !== key(event));
      return { ...context.blocked, [event.by]: add ? [...rest, key(event)] : rest };
    },
  });

const blockedList = setup({
  types: {} as { context: C; events: E },
  guards: { hasOthers: ({ context, event }) => (context.blocked[event.by] ?? []).length > 0 },
});
const rule = rulesFor(M, blockedList);
const r = <K extends Change['type']>(event: K, name: string, extra: Parameters<typeof rule<K>>[4]) =>
  rule(event, name, ['BLOCK-007'], {}, extra);

export const blockedListMachine = blockedList.createMachine({
  id: M,
  context: { blocked: {}, decision: null },
  initial: 'ready',
  states: {
    ready: {
      on: {
        BLOCK_OTHER: [
          r('BLOCK_OTHER', 'person-blocked', { guard: and([notListed, person]), actions: change(true) }),
          r('BLOCK_OTHER', 'number-blocked', { guard: notListed, actions: change(true) }),
        ],
        UNBLOCK_OTHER: [
          r('UNBLOCK_OTHER', 'person-unblocked', { guard: and([listed, person]), actions: change(false) }),
          r('UNBLOCK_OTHER', 'number-unblocked', { guard: listed, actions: change(false) }),
        ],
        LIST_OTHERS: [
          rule(
            'LIST_OTHERS',
            'others-listed',
            ['BLOCK-007'],
            ({ context, event }) => ({
              people: entries(context, event.by, 'person'),
              numbers: entries(context, event.by, 'number'),
            }),
            { guard: 'hasOthers' },
          ),
          rule('LIST_OTHERS', 'no-others-listed', ['BLOCK-007'], { people: [], numbers: [] }),
        ],
      },
    },
  },
});
