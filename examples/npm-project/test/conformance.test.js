// The project's npm test: the package's chat scenarios and this project's own, against this project's adapter.
// One node:test test per scenario, and one for the gate; a failing scenario's message is the evidence (expected,
// observed, the rule, the requirements it breaks).
import { join } from 'node:path';
import { test } from 'node:test';
import { scenariosDir } from 'interop-conformance';
import { conformanceTests } from 'interop-conformance/test';

await conformanceTests('./adapter.ts', { test, scenarios: [join(scenariosDir, 'chat'), 'scenarios'] });
