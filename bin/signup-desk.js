#!/usr/bin/env node
/**
 * `signup-desk` — the command-line face of SignUp Desk for scripts and QA. This file only finds a
 * suitable Node, loads the TypeScript CLI through tsx and hands it the real process; everything
 * else lives in src/main/cli/ (runCli), the same domain code the app runs.
 */
import { spawnSync } from 'node:child_process';
import module from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');

// node:sqlite (the durable log) is built in from Node 22.13 on: https://nodejs.org/api/sqlite.html
const MINIMUM = [22, 13];
const REEXEC_MARK = 'SIGNUP_DESK_REEXECED';
const EXIT_CONFIGURATION = 3;

function isSupported(version) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

if (!isSupported(process.versions.node)) {
  // The project pins Node 22 as a devDependency (the `node` npm package): use it when present.
  const bundled = join(root, 'node_modules', 'node', 'bin', 'node');
  if (process.env[REEXEC_MARK] === undefined && existsSync(bundled)) {
    const child = spawnSync(bundled, [self, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, [REEXEC_MARK]: '1' },
    });
    if (child.error === undefined) {
      if (child.signal !== null) process.kill(process.pid, child.signal);
      process.exit(child.status ?? EXIT_CONFIGURATION);
    }
  }
  process.stderr.write(
    `signup-desk needs Node ${MINIMUM.join('.')} or newer (it uses node:sqlite); this is Node ${process.versions.node}.\n` +
      `Install a current Node, or run \`npm ci\` in ${root} so its pinned Node 22 (node_modules/node) can be used.\n`,
  );
  process.exit(EXIT_CONFIGURATION);
}

// node:sqlite still announces itself as experimental on Node 22; that line would land in every
// script's stderr. Drop exactly that warning and let every other warning through.
const emitWarning = process.emitWarning;
process.emitWarning = function emitWarningExceptSqlite(warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0]?.type ?? warning?.name);
  const message = typeof warning === 'string' ? warning : warning?.message;
  if (type === 'ExperimentalWarning' && typeof message === 'string' && message.startsWith('SQLite ')) return;
  return emitWarning.call(process, warning, ...rest);
};

// Startup is mostly loading the AWS SDK and our modules: Node's on-disk compile cache (in the OS temp
// folder) roughly halves that on later runs. https://nodejs.org/api/module.html#moduleenablecompilecachecachedir
module.enableCompileCache?.();

// tsx compiles the TypeScript sources on the fly (cached between runs); tsconfig.node.json gives it
// the `@shared/*` path alias. https://tsx.is/dev-api/register-esm
const { register } = await import('tsx/esm/api');
register({ tsconfig: join(root, 'tsconfig.node.json') });
const { runCli } = await import(pathToFileURL(join(root, 'src', 'main', 'cli', 'run-cli.ts')).href);

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
// Let stdout drain before leaving (a pipe may still hold the JSON); exit explicitly so an idle
// keep-alive socket or keychain connection cannot keep a script waiting.
process.stdout.write('', () => process.exit(code));
