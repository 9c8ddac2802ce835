import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeForError } from './exit-codes';

describe('exitCodeForError', () => {
  it('treats a refusal naming fields, or a malformed request, as the caller’s input', () => {
    expect(exitCodeForError({ name: 'DuplicateProfileName', fields: { name: 'Taken.' } })).toBe(EXIT.usage);
    expect(exitCodeForError({ name: 'InvalidRequest' })).toBe(EXIT.usage);
  });

  it('treats the profile and the keychain as the setup around the command', () => {
    expect(exitCodeForError({ name: 'ProfileNotFound' })).toBe(EXIT.configuration);
    expect(exitCodeForError({ name: 'KeychainUnavailable' })).toBe(EXIT.configuration);
  });

  it('gives a name that is not ours the fallback', () => {
    expect(exitCodeForError({ name: 'NotAuthorizedException' })).toBe(EXIT.configuration);
    expect(exitCodeForError({ name: 'Error' }, EXIT.usage)).toBe(EXIT.usage);
  });
});
