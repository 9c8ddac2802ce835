/**
 * The one IPC contract, split by domain: every channel's request and response schema, the
 * events main pushes, and the error names that cross IPC. Everything imports it as
 * '@shared/contract' (this folder's index), never a domain file directly, so moving a schema
 * between domains changes no import.
 */
export * from './channels';
export * from './errors';
export * from './events';
export * from './files';
export * from './import';
export * from './log';
export * from './password-policy';
export * from './profiles';
export * from './sandbox';
export * from './seed';
export * from './sign-up';
