/** `serve --tls`: the reference over https with a throwaway certificate whose public part (only) clients get. */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { startService } from '../adapters/reference/http/server.js';
import { serialNumber, throwawayCertificate, writePublicCertificate } from '../adapters/reference/http/tls.js';
import { CommandContext, type Options } from '../harness/commands/context.js';
import { startFromOptions } from '../harness/commands/serve.js';
import { worldOf, teams, skype } from './fixtures/reference-world.js';
import { cli } from './support.js';

const WORLD = JSON.stringify(worldOf(teams('tara'), skype('sam')));
const tmp = () => mkdtempSync(join(tmpdir(), 'ic-tls-'));

/** POST /worlds over https, trusting `ca` (or nothing but the system's roots). */
const createWorld = (url: string, ca?: string) =>
  request(`${url}/worlds`, {
    method: 'POST',
    body: WORLD,
    headers: { 'content-type': 'application/json' },
    ...(ca ? { dispatcher: new Agent({ connect: { ca } }) } : {}),
  });

/** serve's options as the CLI parses them, plus these. */
function serveContext(extra: Record<string, unknown>, said: string[] = []) {
  const sink = (buf: string[]) => ({ write: (s: string) => (buf.push(String(s)), true) }) as never;
  const options = { adapter: 'reference', out: 'x', reporter: 'json', strict: false, quiet: true, ...extra };
  return new CommandContext(options as Options, [], { stdout: sink(said), stderr: sink([]), env: {} });
}

t.test(
  'serve --tls as a program prints where the certificate is, then listening on https; a client trusting that file is served, one that does not is refused; SIGTERM removes the temporary file',
  async (t) => {
    const child = spawn(process.execPath, ['bin/interop-conformance.js', 'serve', '--tls'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    });
    t.teardown(() => void child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    const started = performance.now();
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${out}${err}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) (resolve(m[1]!), clearTimeout(timer));
      });
    });
    t.comment(`serve --tls answered in ${Math.round(performance.now() - started)} ms`);
    const [certLine, listening] = out.trim().split('\n');
    const m = /^certificate \(public part, self-signed, sha256 ([0-9A-F:]{95})\): (\S+\.pem)$/.exec(certLine!);
    t.ok(m, `the first line names the certificate: ${certLine}`);
    t.equal(listening, `listening on ${url}`, 'then the URL, so whoever waits for it finds the file');
    const [, printed, file] = m!;
    const pem = readFileSync(file!, 'utf8');
    const cert = new X509Certificate(pem);
    t.equal(cert.fingerprint256, printed, 'the printed fingerprint is that of the file');
    t.equal(
      cert.subjectAltName,
      'IP Address:127.0.0.1, DNS:localhost, IP Address:0:0:0:0:0:0:0:1',
      'it names the loopback addresses and localhost',
    );
    t.notMatch(pem + out + err, /PRIVATE KEY/, 'the key is in neither the file nor the output');

    const ok = await createWorld(url, pem);
    t.equal(ok.statusCode, 201, 'a client trusting the written certificate creates a world');
    await ok.body.dump();
    const local = await createWorld(url.replace('127.0.0.1', 'localhost'), pem);
    t.equal(local.statusCode, 201, 'by the name localhost too');
    await local.body.dump();
    await t.rejects(createWorld(url), /self-signed certificate/, 'a client trusting only the usual roots is refused');

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    t.equal(await exited, 0, 'SIGTERM: exit 0');
    t.match(out, /SIGTERM: closed/, 'said so');
    t.notOk(existsSync(file!), 'the temporary certificate went with the server');
  },
);

/** The CLI as a program (NODE_EXTRA_CA_CERTS is read at start), its exit code and output. */
function program(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['bin/interop-conformance.js', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

/**
 * A port for a server the test starts by command: below Linux's ephemeral range (32768–60999), where the many
 * outgoing connections of the other test files take theirs, and free when tried (a clean-clone CI run once drew
 * a taken one: serve could not listen, and the run ended with exit 3).
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** The reference served over https with a throwaway certificate, and the file holding its public part. */
async function servedOverTls(t: Test): Promise<{ url: string; path: string }> {
  const material = await throwawayCertificate();
  const service = await startService({ tls: material });
  t.teardown(() => service.close());
  const { path, remove } = writePublicCertificate(material.cert);
  t.teardown(remove);
  return { url: service.url, path };
}

t.test(
  'the http adapter runs the security area over https unchanged when the process trusts the certificate (NODE_EXTRA_CA_CERTS); without it every scenario is an error naming the self-signed certificate',
  async (t) => {
    const { url, path } = await servedOverTls(t);
    const out = tmp();
    const args = ['run', 'scenarios/security', '--adapter', 'http', '--url', url, '--reporter', 'json'];
    const started = performance.now();
    // NODE_EXTRA_CA_CERTS is read when a process starts: the trusting run is a program of its own.
    const trusted = await program([...args, '--out', out], { NODE_EXTRA_CA_CERTS: path });
    t.comment(
      `10 security scenarios over https in ${Math.round(performance.now() - started)} ms (program start included)`,
    );
    if (trusted.code !== 0) t.comment(trusted.out.slice(-1000));
    t.equal(trusted.code, 0, 'conformant over https');
    const summary = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).summary;
    t.match(summary.scenarios, { total: 10, pass: 10, error: 0, skip: 0 }, 'all 10 pass, none skipped');
    const untrusted = await cli(args); // this process trusts only the usual roots
    t.equal(untrusted.code, 1, 'untrusted: not conformant');
    t.match(untrusted.report().summary.scenarios, { total: 10, pass: 0, error: 10 }, 'every scenario an error');
    t.match(untrusted.out, /self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/, 'naming the certificate');
  },
);

t.test(
  'the http adapter trusts serve --tls with --adapter-option ca=FILE in the same process, under run --server too; a ca that is no PEM certificate, or no file, is refused before anything runs',
  async (t) => {
    const { url, path } = await servedOverTls(t);
    const args = ['run', 'scenarios/security', '--adapter', 'http', '--url', url, '--reporter', 'json'];
    const trusted = await cli([...args, '--adapter-option', `ca=${path}`]);
    t.equal(trusted.code, 0, 'conformant over https, trusting the file');
    t.match(trusted.report().summary.scenarios, { total: 10, pass: 10, error: 0, skip: 0 }, 'all 10 pass');
    const notPem = join(tmp(), 'not.pem');
    writeFileSync(notPem, 'hello');
    const refused = await cli([...args, '--adapter-option', `ca=${notPem}`]);
    t.equal(refused.code, 2, 'not a certificate: a usage error, nothing run');
    t.match(refused.err, /ca: .*not\.pem holds no PEM certificate/, 'says the file holds no certificate');
    const missing = await cli([...args, '--adapter-option', `ca=${join(tmp(), 'none.pem')}`]);
    t.equal(missing.code, 2, 'no file: a usage error, nothing run');
    t.match(missing.err, /ca: cannot read .*none\.pem: ENOENT/, 'says the file cannot be read');
    // Under --server the throwaway certificate exists only once serve has started: the adapter is made after it.
    const cert = join(tmp(), 'serve-cert.pem');
    const port = await freePort();
    // The server inherits this process's environment: without tap's coverage (tsx compiles it otherwise than tap).
    const serve = `_TAPJS_PROCESSINFO_COVERAGE_=0 exec ${process.execPath} bin/interop-conformance.js serve --tls --tls-cert-out ${cert} --port ${port}`;
    const served = await cli(
      [
        'run',
        'scenarios/security',
        '--server',
        serve,
        '--url',
        `https://127.0.0.1:${port}`,
        '--reporter',
        'json',
      ].concat(['--adapter-option', `ca=${cert}`]),
      { _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    );
    t.equal(served.code, 0, 'run --server with serve --tls and ca= naming the file serve writes: conformant', {
      out: served.out.slice(-1500),
      err: served.err.slice(-1500),
    });
  },
);

t.test('--tls-cert-out writes the certificate where asked and keeps it after close', async (t) => {
  const file = join(tmp(), 'ca.pem');
  const said: string[] = [];
  const service = await startFromOptions(serveContext({ tls: true, 'tls-cert-out': file }, said));
  t.match(service.url, /^https:\/\/127\.0\.0\.1:\d+$/, 'https on loopback');
  t.match(said.join(''), `): ${file}\n`, 'the line names the file asked for');
  const res = await createWorld(service.url, readFileSync(file, 'utf8'));
  t.equal(res.statusCode, 201, 'a client trusting that file is served');
  await res.body.dump();
  await service.close();
  t.ok(existsSync(file), 'a file the user named is theirs: close leaves it');
});

t.test('--tls-cert and --tls-key serve that certificate, and nothing is written or printed of it', async (t) => {
  const dir = tmp();
  const made = await throwawayCertificate();
  writeFileSync(join(dir, 'cert.pem'), made.cert);
  writeFileSync(join(dir, 'key.pem'), made.key);
  const said: string[] = [];
  const service = await startFromOptions(
    serveContext({ 'tls-cert': join(dir, 'cert.pem'), 'tls-key': join(dir, 'key.pem') }, said),
  );
  t.teardown(() => service.close());
  t.same(said, [], 'no certificate line: the user has the file');
  const { port } = new URL(service.url);
  const served = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port), ca: made.cert }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    }).on('error', reject);
  });
  t.equal(served, new X509Certificate(made.cert).fingerprint256, 'the server presents the given certificate');
});

t.test('the TLS flags that do not go together, and files that are not a pair, are usage errors', async (t) => {
  const dir = tmp();
  const a = await throwawayCertificate();
  const b = await throwawayCertificate();
  const files = { cert: join(dir, 'a.pem'), key: join(dir, 'a.key'), otherKey: join(dir, 'b.key') };
  writeFileSync(files.cert, a.cert);
  writeFileSync(files.key, a.key);
  writeFileSync(files.otherKey, b.key);
  const cases: [string[], RegExp][] = [
    [['--tls-cert', files.cert], /--tls-cert and --tls-key go together/],
    [['--tls-key', files.key], /--tls-cert and --tls-key go together/],
    [['--tls-cert-out', join(dir, 'x.pem')], /--tls-cert-out goes with --tls/],
    [['--tls', '--implementation', 'independent'], /--tls serves the reference only; not --implementation independent/],
    [
      ['--tls-cert', files.cert, '--tls-key', files.key, '--tls-cert-out', join(dir, 'x.pem')],
      /with --tls-cert you have yours already/,
    ],
    [['--tls-cert', join(dir, 'none.pem'), '--tls-key', files.key], /cannot read --tls-cert .*none\.pem: ENOENT/],
    [['--tls-cert', files.cert, '--tls-key', join(dir, 'none.key')], /cannot read --tls-key .*none\.key: ENOENT/],
    [['--tls-cert', files.key, '--tls-key', files.key], /--tls-cert .*a\.key holds no PEM certificate/],
    [['--tls-cert', files.cert, '--tls-key', files.cert], /--tls-key .*a\.pem holds no unencrypted PEM private key/],
    [['--tls-cert', files.cert, '--tls-key', files.otherKey], /--tls-key .*b\.key is not the key of --tls-cert/],
    [['--tls', '--tls-cert-out', join(dir, 'no', 'such', 'dir.pem')], /cannot write --tls-cert-out .*dir\.pem: ENOENT/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(['serve', ...args]);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.err, message, args.join(' '));
    t.notMatch(r.err, /BEGIN|PRIVATE/, 'no key or certificate text in the message');
  }
  t.equal(cases.length, 11, '11 refused combinations');
});

t.test('a throwaway certificate names the hosts it is made for, for 7 days from a minute ago', async (t) => {
  const now = new Date('2026-11-30T08:00:00Z');
  const { cert, key } = await throwawayCertificate(['127.0.0.1', 'gateway.test', '10.1.2.3', 'gateway.test'], now);
  const x = new X509Certificate(cert);
  t.equal(x.subjectAltName, 'IP Address:127.0.0.1, DNS:gateway.test, IP Address:10.1.2.3', 'each name once');
  t.equal(new Date(x.validFrom).toISOString(), '2026-11-30T07:59:00.000Z', 'valid from a minute before');
  t.equal(new Date(x.validTo).toISOString(), '2026-12-07T08:00:00.000Z', 'for 7 days');
  t.ok(x.verify(x.publicKey), 'self-signed');
  t.notOk(x.ca, 'not a CA: it signs nothing else');
  t.match(key, /^-----BEGIN PRIVATE KEY-----/, 'the key, PKCS#8 PEM, for node:https only');
  const written = writePublicCertificate(cert);
  t.equal(readFileSync(written.path, 'utf8'), cert, 'the temporary file holds the certificate');
  written.remove();
  t.notOk(existsSync(written.path), 'and remove() takes it away');
});

t.test('closing an https service lets a request still arriving finish: its socket counts as busy', async (t) => {
  // Over TLS a request's socket is the TLSSocket; counting the TCP socket instead would find it idle and cut it.
  const material = await throwawayCertificate();
  const service = await startService({ tls: material });
  const { port } = new URL(service.url);
  const socket = connect({ host: '127.0.0.1', port: Number(port), ca: material.cert, servername: 'localhost' });
  let answer = '';
  socket.on('data', (d: Buffer) => {
    answer += d;
    socket.end(); // the status line is all this test reads; the server need not wait for an idle client
  });
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
  const body = '{"tenants":';
  socket.write(
    `POST /worlds HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length + 2}\r\n\r\n${body}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 100)); // the server has the headers: the request is under way
  const closed = service.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.write('{}');
  await Promise.all([closed, ended]);
  t.match(answer, /^HTTP\/1\.1 400 /, `the request was answered: ${answer.split('\r\n')[0]}`);
});

t.test(
  'a certificate serial is positive with no leading zero byte, whatever the first random byte (DER refuses padding)',
  async (t) => {
    const firsts = new Set<number>();
    for (let first = 0; first < 256; first++) {
      const serial = serialNumber(Buffer.from([first, 0x00, 0x7f, ...Array(13).fill(0xab)]));
      const lead = parseInt(serial.slice(0, 2), 16);
      if (serial.length !== 32 || lead === 0 || lead > 0x7f) t.fail(`first byte ${first}: serial ${serial}`);
      firsts.add(lead);
    }
    t.equal(firsts.size, 127, 'every first byte 0x01–0x7f, none 0x00 or above 0x7f');
    t.equal(
      serialNumber(Buffer.from([0x00, 0x05, ...Array(14).fill(0)])).slice(0, 4),
      '0105',
      'a zero first byte becomes 1',
    );
  },
);
