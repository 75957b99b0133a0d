/**
 * The layering of README.md "## Layout", made executable: `npm run layering` (dependency-cruiser) fails on any
 * import that crosses a layer the wrong way, printing `rule: from → to`. test/layering.test.ts runs it on the
 * tree (no violation) and on a fixture tree that breaks each rule once (each rule can fail).
 *
 * Paths are relative to the repository root. Type-only imports count (tsPreCompilationDeps): a type borrowed from
 * the wrong layer couples the layers as surely as a value does, and a cycle through types is still a cycle to read.
 * npm packages and node: builtins are allowed everywhere; test/ and bench/ may import anything.
 */

/**
 * The harness modules that may import an adapter, each for a reason. Everything else in harness/ knows adapters
 * only through their interface, adapters/adapter.ts, and is handed the adapter it runs against.
 */
const ADAPTER_EXCEPTIONS = [
  // `--adapter NAME`: resolves a name to a built-in adapter (adapters/index.ts) or loads a user's module.
  '^harness/adapters\\.ts$',
  // The implementations `mutants --implementation` scores and `serve --implementation` serves: the reference's
  // HTTP service and fault catalogues, and the independent implementation (through its contract).
  '^harness/implementations\\.ts$',
  // `mutants`: the reference's fault catalogues, and the reference with one fault on for each variant.
  '^harness/commands/mutants\\.ts$',
  // `mutants --implementation`: the http adapter, to talk to each served variant.
  '^harness/commands/mutants-served\\.ts$',
  // `serve`: the reference's HTTP service and its HTTP faults.
  '^harness/commands/serve\\.ts$',
  // The package API (`import … from 'interop-conformance'`): the CLI's twin, exporting the built-in adapters by name.
  '^harness/api\\.ts$',
  // `run --workers N` in process: each worker thread makes its own copy of the adapter by name, as the CLI does.
  '^harness/workers/thread\\.ts$',
];

/** What the implementations may take from specs/: the vocabulary and the documents they implement. */
const VOCABULARY = '^specs/(protocol\\.ts$|schemas/|openapi\\.yaml$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'specs-import-only-specs',
      comment:
        'specs/ is the specification (catalogue, models, vocabulary, schemas, API document): it must read on ' +
        'its own, so it imports nothing of the harness, the adapters, the reports or the tests.',
      severity: 'error',
      from: { path: '^specs/' },
      // Closed world: anything but specs/ and npm packages (wherever node_modules resolves to) and builtins.
      to: { pathNot: ['^specs/', '(^|/)node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'reference-uses-only-the-vocabulary',
      comment:
        'The reference is written from PROTOCOL.md and the API document without the models, so that its agreement ' +
        'with them means something: of specs/ it takes the vocabulary, the schemas and openapi.yaml, never ' +
        'specs/models/; it knows no harness, report, test or independent implementation.',
      severity: 'error',
      from: { path: '^adapters/reference/' },
      to: {
        path: '^(specs|harness|reports|test|bench|adapters/independent)/',
        pathNot: VOCABULARY,
      },
    },
    {
      name: 'independent-stays-blind',
      comment:
        'adapters/independent/ is written blind from the documents: it must not borrow the reference or the models, ' +
        'nor the harness or the reports that judge it.',
      severity: 'error',
      from: { path: '^adapters/independent/' },
      to: { path: '^(adapters/reference|specs/models|harness|reports|test|bench)/' },
    },
    {
      name: 'adapters-know-no-harness',
      comment:
        'An adapter is what the harness is handed and judges (the interface, the built-ins, the http adapter): it ' +
        'imports no harness or report code, so that it cannot lean on the judge. The reference and the independent ' +
        'implementation have stricter rules of their own (above).',
      severity: 'error',
      from: { path: '^adapters/', pathNot: '^adapters/(reference|independent)/' },
      to: { path: '^(harness|reports|test|bench)/' },
    },
    {
      name: 'reports-know-no-adapter',
      comment:
        'Reports render reports/results.ts (what the harness writes): they know no adapter and nothing of the ' +
        'harness, so that any report can be made from a saved result.',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: '^(adapters|harness|test|bench)/' },
    },
    {
      name: 'harness-imports-no-adapter',
      comment:
        'The harness runs whatever adapter it is handed, through adapters/adapter.ts; only the named exceptions ' +
        '(ADAPTER_EXCEPTIONS, each with its reason) import an adapter.',
      severity: 'error',
      from: { path: '^harness/', pathNot: ADAPTER_EXCEPTIONS },
      to: { path: '^adapters/', pathNot: '^adapters/adapter\\.ts$' },
    },
    {
      name: 'harness-core-reaches-no-adapter',
      comment:
        'Nor through an exception: the harness apart from the CLI (cli.ts, commands/) and the exceptions themselves ' +
        'reaches no adapter by any chain of imports, so that running, judging and scoring stay adapter-free.',
      severity: 'error',
      from: {
        path: '^harness/',
        pathNot: [...ADAPTER_EXCEPTIONS, '^harness/cli\\.ts$', '^harness/commands/', '^harness/test-helper\\.ts$'],
      },
      to: { path: '^adapters/', pathNot: '^adapters/adapter\\.ts$', reachable: true },
    },
    {
      name: 'code-imports-no-test',
      comment: 'The tests and the benchmarks use the code; the code never uses them.',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment:
        'An import cycle leaves no layer to read first (and, between values, an order of evaluation that decides ' +
        'what is undefined): every module must be readable after the modules it imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import the cruiser cannot resolve is one no rule above can judge: it would pass them all unseen.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Imports are written `./x.js` and resolved to `./x.ts` as the compiler does (NodeNext): through tsconfig.json.
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
