/**
 * The composition root of the main process: builds every domain service over one data folder and
 * maps each channel of the contract to them. Electron's ipcMain, the e2e harness and the tests all
 * call `dispatch(services.handlers, channel, raw)`; nothing here knows which transport is in use.
 */
import type { EventName, EventPayload } from '@shared/contract';
import { createDataStore } from './data-store';
import { noDialogs, type DialogPort } from './dialogs/dialog-port';
import type { ImportService } from './import/import-service';
import { exportLog } from './log/log-export';
import { logFacets } from './log/log-facets';
import type { Handlers } from './ipc/dispatch';
import type { SecretStore } from './keychain/secret-store';
import type { LogStore } from './log/log-store';
import { securePrivateFolder } from './private-folder';
import { createProfileStore, type ProfileStore } from './profiles/profile-store';
import type { ProcessStarter } from './sandbox/process-starter';
import { createSandbox, type Sandbox } from './sandbox/sandbox';
import type { ClientFactory } from './cognito/client';
import { createSignUpService, type SignUpService } from './signup/sign-up-service';
import type { Database } from './store/database';

export interface ServicesOptions {
  /** The data folder (dataHome()). */
  home: string;
  secrets: SecretStore;
  clientFactory?: ClientFactory;
  /** How the sandbox starts cognito-local: in Electron a utilityProcess; default child_process. */
  startProcess?: ProcessStarter;
  /** The Node binary for the default child_process starter (the sandbox). */
  nodePath?: string;
  /** cognito-local's lib/bin/start.js, when not resolvable from node_modules (packaged app). */
  cognitoLocalEntry?: string;
  now?: () => Date;
  /** Native dialogs (Electron) or paths a test chose; the CLI has none. */
  dialogs?: DialogPort;
  /** Main → renderer events (import progress); the transport decides where they go. */
  push?: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /**
   * Open the database only when a channel first needs it (the CLI: `profiles list` works with a
   * damaged database). Default: now, so the app reports a bad database at start and marks
   * interrupted import jobs before its first screen asks.
   */
  openDatabase?: 'now' | 'on first use';
}

export interface Services {
  handlers: Handlers;
  /** Reading `db` or `imports` opens the database if it is not open yet. */
  readonly db: Database;
  log: LogStore;
  profiles: ProfileStore;
  signUp: SignUpService;
  sandbox: Sandbox;
  readonly imports: ImportService;
  /** Stops the sandbox and closes the database. */
  close(): Promise<void>;
}

export function createServices(options: ServicesOptions): Services {
  const { home, secrets } = options;
  securePrivateFolder(home);
  const profiles = createProfileStore(home, {
    secrets,
    ...(options.now !== undefined && { now: options.now }),
  });
  const dialogs = options.dialogs ?? noDialogs;
  const store = createDataStore({
    home,
    profiles,
    secrets,
    dialogs,
    push: options.push ?? (() => {}),
    ...(options.clientFactory !== undefined && { clientFactory: options.clientFactory }),
  });
  if (options.openDatabase !== 'on first use') store.open();
  const { log } = store;
  const sendAndLog = createSignUpService({
    profiles,
    secrets,
    log,
    ...(options.clientFactory !== undefined && { clientFactory: options.clientFactory }),
    ...(options.now !== undefined && { now: options.now }),
  });
  // Every attempt is logged: a database that cannot open stops the sign-up before it is sent.
  const signUp: SignUpService = {
    async submit(profileId, input, source) {
      store.open();
      return sendAndLog.submit(profileId, input, source);
    },
    async submitWithConnection(connection, input, source) {
      store.open();
      return sendAndLog.submitWithConnection(connection, input, source);
    },
  };
  const sandbox = createSandbox({
    home,
    profiles,
    ...(options.startProcess !== undefined && { startProcess: options.startProcess }),
    ...(options.nodePath !== undefined && { nodePath: options.nodePath }),
    ...(options.cognitoLocalEntry !== undefined && { cognitoLocalEntry: options.cognitoLocalEntry }),
  });

  const handlers: Handlers = {
    'profiles:list': () => profiles.list(),
    'profiles:save': (input) => profiles.save(input),
    'profiles:delete': ({ id }) => profiles.delete(id),
    'profiles:setActive': ({ id }) => profiles.setActive(id),
    'profiles:setSecret': ({ id, secret }) => profiles.setSecret(id, secret),
    'profiles:removeSecret': ({ id }) => profiles.removeSecret(id),
    'sandbox:status': () => sandbox.status(),
    'sandbox:start': () => sandbox.start(),
    'signUp:submit': ({ profileId, input }) => signUp.submit(profileId, input, 'form'),
    'log:query': (query) => Promise.resolve(log.query(query)),
    'log:get': ({ id }) => Promise.resolve(log.get(id)),
    'log:facets': () => Promise.resolve(logFacets(store.open().db)),
    'log:export': async ({ format, ...filters }) => {
      const path = await dialogs.saveFile({
        title: 'Export the log',
        defaultName: `signup-desk-log.${format}`,
        filters: [
          format === 'csv'
            ? { name: 'CSV files', extensions: ['csv'] }
            : { name: 'JSON files', extensions: ['json'] },
        ],
      });
      if (path === null) return null;
      return { path, count: await exportLog(log, filters, format, path) };
    },
    ...store.importHandlers,
  };

  let closed = false;
  return {
    handlers,
    get db() {
      return store.open().db;
    },
    log,
    profiles,
    signUp,
    sandbox,
    get imports() {
      return store.open().imports;
    },
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
      await sandbox.stop();
    },
  };
}
