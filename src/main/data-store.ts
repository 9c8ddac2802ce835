/**
 * The database and the domains kept in it (the log, the import jobs), opened on first use. A
 * command that needs none of them (`profiles list`) never touches the file, so a damaged
 * database cannot stop it; everything else gets the error that names the file on first use.
 */
import { join } from 'node:path';
import type { ClientFactory } from './cognito/client';
import type { DialogPort } from './dialogs/dialog-port';
import {
  createImportService,
  type ImportHandlers,
  type ImportService,
  type Push,
} from './import/import-service';
import type { SecretStore } from './keychain/secret-store';
import { createLogStore, TEXT_CATCH_UP_CHUNK, type LogStore } from './log/log-store';
import type { ProfileStore } from './profiles/profile-store';
import { DATABASE_FILE, openDatabase, type Database } from './store/database';

/** How often the log's text index catches up in the background. */
const TEXT_CATCH_UP_INTERVAL_MS = 500;

export interface DataStoreOptions {
  home: string;
  profiles: ProfileStore;
  secrets: SecretStore;
  dialogs: DialogPort;
  push: Push;
  clientFactory?: ClientFactory;
}

export interface OpenedStore {
  db: Database;
  log: LogStore;
  imports: ImportService;
}

export interface DataStore {
  /** Opens the database on the first call (throws the AppError naming the file when it cannot). */
  open(): OpenedStore;
  /** A log that opens the database when first written or read. */
  log: LogStore;
  /** The import channels, each opening the database when first called. */
  importHandlers: ImportHandlers;
  /** Pauses running imports and closes the database, if it was ever opened. */
  close(): Promise<void>;
}

/** Every import channel, so each can be deferred; the compiler checks the list is complete. */
const IMPORT_CHANNELS = {
  'files:openCsv': true,
  'import:inspect': true,
  'import:dryRun': true,
  'import:start': true,
  'import:pause': true,
  'import:resume': true,
  'import:cancel': true,
  'import:jobs': true,
  'import:saveReport': true,
  'import:retryFailed': true,
  'seed:preview': true,
  'seed:start': true,
} as const satisfies Record<keyof ImportHandlers, true>;

export function createDataStore(options: DataStoreOptions): DataStore {
  let opened: (OpenedStore & { textIndexer: ReturnType<typeof setInterval> }) | undefined;

  function open(): OpenedStore {
    if (opened !== undefined) return opened;
    const db = openDatabase(join(options.home, DATABASE_FILE));
    try {
      const log = createLogStore(db);
      const imports = createImportService({
        home: options.home,
        db,
        log,
        profiles: options.profiles,
        secrets: options.secrets,
        dialogs: options.dialogs,
        push: options.push,
        ...(options.clientFactory !== undefined && { clientFactory: options.clientFactory }),
      });
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
      opened = { db, log, imports, textIndexer };
      return opened;
    } catch (error) {
      // A migration failed (damaged file): close it so the next attempt (or a move) starts clean.
      db.close();
      throw error;
    }
  }

  const log: LogStore = {
    record: (entry) => open().log.record(entry),
    query: (query) => open().log.query(query),
    get: (id) => open().log.get(id),
    catchUpText: (maxRows) => open().log.catchUpText(maxRows),
  };

  const importHandlers = Object.fromEntries(
    Object.keys(IMPORT_CHANNELS).map((channel) => [
      channel,
      (request: unknown) =>
        (open().imports.handlers[channel as keyof ImportHandlers] as (r: unknown) => Promise<unknown>)(
          request,
        ),
    ]),
  ) as ImportHandlers;

  return {
    open,
    log,
    importHandlers,
    async close() {
      if (opened === undefined) return;
      const { db, imports, textIndexer } = opened;
      opened = undefined;
      // Running jobs pause: in-flight rows finish and are recorded, the rest resume later.
      await imports.close();
      clearInterval(textIndexer);
      db.close();
    },
  };
}
