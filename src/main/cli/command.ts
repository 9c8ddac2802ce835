/**
 * What every CLI command is: a name, a one-line summary for the top-level help, its own usage
 * text, and a run function. Commands get their collaborators through the context, so the same
 * modules run under bin/signup-desk.js and in-process in tests.
 */
import type { Readable, Writable } from 'node:stream';
import type { Connection } from '../cognito/sign-up-call';
import type { ImportService } from '../import/import-service';
import type { Handlers } from '../ipc/dispatch';
import type { SecretStore } from '../keychain/secret-store';
import type { SignUpResult } from '@shared/contract';
import type { SignUpInput } from '@shared/signup-rules';
import type { ExitCode } from './exit-codes';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/** The connection a sign-up without a profile uses. */
export type CliConnection = Connection;

/** The part of the domain services the CLI uses (createServices in src/main/services.ts). */
export interface CliServices {
  handlers: Handlers;
  signUp: {
    submit(profileId: string, input: SignUpInput, source: 'cli'): Promise<SignUpResult>;
    submitWithConnection(connection: CliConnection, input: SignUpInput, source: 'cli'): Promise<SignUpResult>;
  };
  /** The app's own import service (engine, job store): a job started in one can be resumed in the other. */
  imports: Pick<ImportService, 'start' | 'resume' | 'pause' | 'wait' | 'progress' | 'getJob'>;
  close(): void | Promise<void>;
}

/** Collaborators a caller (a test) may supply; everything absent is the real thing. */
export interface CliDeps {
  secrets?: SecretStore;
  /** The data folder; default SIGNUP_DESK_HOME from io.env, else dataHome(). */
  home?: string;
  createServices?: (options: { home: string; secrets: SecretStore }) => CliServices | Promise<CliServices>;
}

export interface CliContext {
  io: CliIo;
  home: string;
  /** Opened on first use (so `--help` and usage errors touch no database or keychain). */
  services(): Promise<CliServices>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], context: CliContext): Promise<ExitCode>;
}
