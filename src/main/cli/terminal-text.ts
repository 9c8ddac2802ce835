/**
 * Text from data (usernames, Cognito's messages, file names) reaches a person's terminal, where
 * control characters are commands: ESC sequences retitle or clear the window, move the cursor or
 * rewrite earlier lines, and bidi overrides reorder what is shown. Everything we print for people
 * goes through `inert`, which shows such characters as visible escapes instead. Line breaks and
 * tabs stay: our own lines are joined with them. (JSON output is escaped by JSON.stringify.)
 * https://invisible-island.net/xterm/ctlseqs/ctlseqs.html, https://trojansource.codes/
 */
// C0 controls but tab and line feed, DEL, C1 controls, bidi embeddings/overrides/isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

export function inert(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
