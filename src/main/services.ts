/**
 * The composition root of the main process: builds every domain service over one data folder and
 * maps each channel of the contract to them. Electron's ipcMain, the e2e harness and the tests all
 * call `dispatch(services.handlers, channel, raw)`; nothing here knows which transport is in use.
 */
import { join } from 'node:path';
import type { EventName, EventPayload } from '@shared/contract';
import { noDialogs, type DialogPort } from './dialogs/dialog-port';
import { createFileChannels } from './files/file-channels';
import { createFileHandles, type FileHandles } from './files/file-handles';
import { createImportService, type ImportService } from './import/import-service';
import { exportLog } from './log/log-export';
import { logFacets } from './log/log-facets';
import type { Handlers } from './ipc/dispatch';
import type { SecretStore } from './keychain/secret-store';
import { createLogStore, TEXT_CATCH_UP_CHUNK, type LogStore } from './log/log-store';
import { securePrivateFolder } from './private-folder';
import { createProfileStore, type ProfileStore } from './profiles/profile-store';
import type { ProcessStarter } from './sandbox/process-starter';
import { createSandbox, type Sandbox } from './sandbox/sandbox';
import type { ClientFactory } from './cognito/client';
import { createSignUpService, type SignUpService } from './signup/sign-up-service';
import { DATABASE_FILE, openDatabase, type Database } from './store/database';

/** How often the log's text index catches up in the background. */
const TEXT_CATCH_UP_INTERVAL_MS = 500;

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
}

export interface Services {
  handlers: Handlers;
  db: Database;
  log: LogStore;
  profiles: ProfileStore;
  signUp: SignUpService;
  sandbox: Sandbox;
  imports: ImportService;
  /** The files the user chose, by handle (browser mode registers its uploads here). */
  files: FileHandles;
  /** Stops the sandbox and closes the database. */
  close(): Promise<void>;
}

export function createServices(options: ServicesOptions): Services {
  const { home, secrets } = options;
  securePrivateFolder(home);
  const db = openDatabase(join(home, DATABASE_FILE));
  const log = createLogStore(db);
  // The text index catches up in the background (the log records without it, see log-store.ts);
  // unref'd so it never keeps the process alive. A failure (the database busy) is retried next tick.
  const textIndexer = setInterval(() => {
    try {
      log.catchUpText(TEXT_CATCH_UP_CHUNK);
    } catch {
      // Next tick; a text query catches up (or reads the tail with LIKE) on its own anyway.
    }
  }, TEXT_CATCH_UP_INTERVAL_MS);
  textIndexer.unref();
  const profiles = createProfileStore(home, {
    secrets,
    ...(options.now !== undefined && { now: options.now }),
  });
  const signUp = createSignUpService({
    profiles,
    secrets,
    log,
    ...(options.clientFactory !== undefined && { clientFactory: options.clientFactory }),
    ...(options.now !== undefined && { now: options.now }),
  });
  const sandbox = createSandbox({
    home,
    profiles,
    ...(options.startProcess !== undefined && { startProcess: options.startProcess }),
    ...(options.nodePath !== undefined && { nodePath: options.nodePath }),
    ...(options.cognitoLocalEntry !== undefined && { cognitoLocalEntry: options.cognitoLocalEntry }),
  });

  const dialogs = options.dialogs ?? noDialogs;
  const files = createFileHandles();
  const imports = createImportService({
    home,
    db,
    log,
    profiles,
    secrets,
    dialogs,
    files,
    push: options.push ?? (() => {}),
    ...(options.clientFactory !== undefined && { clientFactory: options.clientFactory }),
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
    'log:facets': () => Promise.resolve(logFacets(db)),
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
    ...createFileChannels(dialogs, files),
    ...imports.handlers,
  };

  let closed = false;
  return {
    handlers,
    db,
    log,
    profiles,
    signUp,
    sandbox,
    imports,
    files,
    async close() {
      if (closed) return;
      closed = true;
      // Running jobs pause: in-flight rows finish and are recorded, the rest resume later.
      await imports.close();
      await sandbox.stop();
      clearInterval(textIndexer);
      db.close();
    },
  };
}
