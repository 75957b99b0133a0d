/**
 * The open-ended fault catalogue of the independent implementation (issue 14, item 2): defects a gateway, bridge
 * or service team could ship, each written as the bug report a customer or a tester would file. They were chosen
 * from the documents (facts.md, the announcement and its comments, PROTOCOL.md, openapi.yaml, requirements.yaml)
 * by someone who has not read the scenarios, so they were not picked to be caught. `breaks` is the author's
 * judgement from the documents, not what any run found. Every id is a switch in adapters/independent/ (off: the
 * conformant service).
 */
import { CONTROL_FAULTS } from './catalogue-control.js';
import { CONVERSATION_FAULTS } from './catalogue-conversation.js';
import { CURSOR_FAULTS } from './catalogue-cursor.js';
import { DISCOVERY_AND_REQUEST_FAULTS } from './catalogue-people.js';
import { WIRE_FAULTS } from './catalogue-wire.js';
import { WORLD_STREAM_FAULTS } from './catalogue-world.js';
import type { CatalogueFault } from './types.js';

/**
 * Every fault, by area: discovery and requests, conversation (chat, calls), control (blocking, admin), the wire, the
 * event cursor (document 0.3.0), the world stream (document 0.4.0; scored through it, `events=world`).
 */
export const INDEPENDENT_FAULTS: readonly CatalogueFault[] = [
  ...DISCOVERY_AND_REQUEST_FAULTS,
  ...CONVERSATION_FAULTS,
  ...CONTROL_FAULTS,
  ...WIRE_FAULTS,
  ...CURSOR_FAULTS,
  ...WORLD_STREAM_FAULTS,
];
