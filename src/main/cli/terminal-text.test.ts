import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { inert } from './terminal-text';
import { writeLines } from './output';

describe('text for the terminal', () => {
  it('shows escape sequences, carriage returns and bidi overrides as visible text', () => {
    const title = '\u001b]0;pwned\u0007';
    const clear = '\u001b[2J\u001b[H';
    expect(inert(`ann${title}${clear}`)).toBe('ann\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[H');
    expect(inert('fake\rreal')).toBe('fake\\u000dreal');
    expect(inert('\u009b31m')).toBe('\\u009b31m');
    expect(inert('abc\u202edcba')).toBe('abc\\u202edcba');
  });

  it('keeps ordinary text, tabs and line breaks', () => {
    expect(inert('Zoë\tcreated\nnext line')).toBe('Zoë\tcreated\nnext line');
  });

  it('is applied to every line written for people', () => {
    const stream = new PassThrough();
    writeLines(stream, ['user \u001b[2Jx created']);
    expect(String(stream.read())).toBe('user \\u001b[2Jx created\n');
  });
});
