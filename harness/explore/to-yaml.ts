/**
 * A divergence → a scenario file in the form of scenarios/<area>/*.yaml: the world in its short form, the steps
 * as actor + action keyword + params, and on the failing step the models' prediction as `expect` and what the
 * adapter did instead as `note`. A header comment says how it was found and how to find it and run it again.
 * Nothing in it depends on time or place, so the same search writes the same file.
 */
import { Document, isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Action } from '../../specs/protocol.js';
import type { StepResult } from '../../reports/results.js';
import type { Area, Requirement } from '../../specs/requirement.js';
import type { Expectation } from '../expectations.js';
import type { Divergence } from './find-divergence.js';
import type { ExploreWorld } from './world.js';

export interface Provenance {
  seed: number;
  runs: number;
  /** The adapter as named on the command line, and its --adapter-option pairs. */
  adapter: string;
  adapterOptions: string[];
  deadlineMs: number;
  /** The `explore` command line that finds this again, and the `run` options that run the file. */
  command: string;
  runOptions: string;
}

const AREA_OF_ACTION: Record<Action['kind'], Area> = {
  search: 'search',
  'set-searchable': 'search',
  message: 'chat',
  'group-chat': 'chat',
  presence: 'chat',
  call: 'call',
  answer: 'call',
  decline: 'call',
  'hang-up': 'call',
  'add-video': 'call',
  'add-participant': 'call',
  'share-screen': 'call',
  meeting: 'call',
  'call-state': 'call',
  accept: 'request',
  'view-messages': 'request',
  block: 'block',
  unblock: 'block',
  'blocked-contacts': 'block',
  'block-number': 'block',
  'unblock-number': 'block',
  'set-org-switch': 'admin',
  'set-user-policy': 'admin',
  'set-enterprise-app': 'admin',
  'set-public-provider': 'admin',
  'set-sip-federation-srv': 'admin',
  'set-cloud': 'admin',
  probe: 'security',
};

/** The failing (or erroring) step of a divergence. */
export function failingStep(d: Divergence): StepResult {
  return (
    d.result.steps.find((s) => s.verdict === 'fail' || s.verdict === 'error') ??
    d.result.steps[d.result.steps.length - 1]!
  );
}

/** The requirements the divergence breaks, in the order the mismatches name them. */
export function brokenRequirements(d: Divergence): string[] {
  return [...new Set(failingStep(d).mismatches.flatMap((m) => m.requirements))];
}

/**
 * The folder the file goes in: the area most of the broken requirements belong to (the first of them on a tie),
 * else the failing action's.
 */
export function areaOf(d: Divergence, catalogue: Map<string, Requirement>): Area {
  const areas = brokenRequirements(d)
    .map((r) => catalogue.get(r)?.area)
    .filter((a): a is Area => a !== undefined);
  const count = (a: Area) => areas.filter((x) => x === a).length;
  return (
    areas.reduce<Area | undefined>((best, a) => (best === undefined || count(a) > count(best) ? a : best), undefined) ??
    AREA_OF_ACTION[failingStep(d).action.kind]
  );
}

const paramsOf = ({ kind: _kind, ...params }: Action) => params;

function describeMove(actor: string, action: Action): string {
  const params = Object.entries(paramsOf(action)).map(
    ([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`,
  );
  return `${actor} ${action.kind}${params.length ? ` {${params.join(', ')}}` : ''}`;
}

function expectationOf(step: StepResult): Expectation {
  const o = step.expected.outcome;
  const e: Expectation = { outcome: o.status };
  if (o.status === 'error') e.error = o.error;
  else
    for (const f of ['found', 'blocked', 'messages', 'call'] as const)
      if (o[f] !== undefined) (e as Record<string, unknown>)[f] = o[f];
  e.delivers = step.expected.deliveries.length ? step.expected.deliveries.map((d) => ({ ...d })) : 'nothing';
  return e;
}

function whatHappened(step: StepResult): string {
  if (step.verdict === 'error') return `the adapter failed: ${step.error ?? 'unknown error'}`;
  return step.mismatches.map((m) => `${m.message} [${m.requirements.join(', ')}]`).join('; ');
}

function adapterLabel(p: Provenance): string {
  return `${p.adapter}${p.adapterOptions.length ? ` (${p.adapterOptions.join(', ')})` : ''}`;
}

export function divergenceToYaml(
  d: Divergence,
  w: ExploreWorld,
  p: Provenance,
  catalogue: Map<string, Requirement>,
  area = areaOf(d, catalogue),
): string {
  const failing = failingStep(d);
  const steps = d.scenario.steps.slice(0, failing.index);
  const broken = brokenRequirements(d);
  const exercised = new Set(steps.flatMap((s) => s.prediction.requirements));
  const requirements = broken.filter((r) => catalogue.has(r) && exercised.has(r));
  const label = adapterLabel(p);
  const doc = new Document({
    title: `Found by explore (seed ${p.seed}): ${describeMove(failing.actor, failing.action)}${broken.length ? ` breaks ${broken.join(', ')}` : ' makes the adapter fail'}`,
    description:
      `The smallest sequence explore found (${steps.length} step${steps.length === 1 ? '' : 's'}) on which ${label} does not do what the models ` +
      `predict. At step ${failing.index} (rule ${failing.rule}): ${whatHappened(failing)}. A conformant system passes it.`,
    // Stated, so the file keeps its area wherever it is moved (the loader otherwise takes the folder's name).
    area,
    tags: ['explored'],
    ...(requirements.length ? { requirements } : {}),
    deadlineMs: p.deadlineMs,
    world: w.raw,
    steps: steps.map((s) => ({
      actor: s.actor,
      [s.action.kind]: paramsOf(s.action),
      ...(s.index === failing.index
        ? { note: `on ${label}: ${whatHappened(failing)}`, expect: expectationOf(failing) }
        : {}),
    })),
  });
  doc.commentBefore = [
    ` Found by \`interop-conformance explore\`: seed ${p.seed}, ${p.runs} runs, adapter ${label}, delivery deadline ${p.deadlineMs} ms.`,
    ` Run ${d.foundOnRun} was the first to fail (${d.stepsBeforeShrinking} steps up to its failure); shrunk to the ${steps.length} below.`,
    ` Search again:  ${p.command}`,
    ` Run this file: interop-conformance run THIS_FILE${p.runOptions ? ` ${p.runOptions}` : ''}`,
  ].join('\n');
  flowStyle(doc);
  return doc.toString({ lineWidth: 120 });
}

/** The house style of scenarios/: short lists, users, tenants, params and deliveries on one line each. */
function flowStyle(doc: Document): void {
  const flow = (n: unknown) => {
    if (isMap(n) || isSeq(n)) (n as Node & { flow?: boolean }).flow = true;
  };
  flow(doc.getIn(['tags'], true));
  flow(doc.getIn(['requirements'], true));
  for (const key of ['tenants', 'users'] as const) {
    const group = doc.getIn(['world', key], true);
    if (isMap(group)) group.items.forEach((pair) => flow(pair.value));
  }
  const steps = doc.getIn(['steps'], true);
  if (!isSeq(steps)) return;
  for (const step of steps.items as YAMLMap[]) {
    for (const pair of step.items)
      if (!['actor', 'note', 'expect'].includes(String((pair.key as { value?: unknown }).value))) flow(pair.value);
    const expect = step.get('expect', true);
    if (isMap(expect)) {
      for (const f of ['found', 'blocked', 'messages']) flow(expect.get(f, true));
      const delivers = expect.get('delivers', true);
      if (isSeq(delivers)) delivers.items.forEach(flow);
    }
  }
  const description = doc.get('description', true) as { type?: string } | undefined;
  if (description) description.type = 'BLOCK_FOLDED';
}
