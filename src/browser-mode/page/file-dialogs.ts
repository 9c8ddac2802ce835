/**
 * The page's half of browser mode's file dialogs (src/browser-mode/browser-dialogs.ts): the
 * browser's own file picker for "open", a download for "save".
 *
 * A page may open a file picker only with transient user activation — within about 5 seconds of the
 * person's click (https://html.spec.whatwg.org/multipage/interaction.html#transient-activation).
 * Main's request to pick a file arrives a round trip after the click on "Choose file…", well inside
 * that; should it come later (a slow machine, an activation already used up), the page asks for one
 * more click in a small dialog of its own rather than failing silently.
 */

/** Navigator.userActivation: not in every browser (Firefox since 120, Safari 16.4). */
type ActivationNavigator = Navigator & { userActivation?: { isActive: boolean } };

function hasActivation(): boolean {
  const activation = (navigator as ActivationNavigator).userActivation;
  return activation === undefined || activation.isActive;
}

function showPicker(accept: string[]): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept.join(',');
    input.hidden = true;
    document.body.append(input);
    const done = (file: File | null): void => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    // Fired when the person closes the picker without choosing (Chromium 113, Firefox 91, Safari 16.4).
    input.addEventListener('cancel', () => done(null), { once: true });
    input.click();
  });
}

/** One more click, for when the activation of the first one has expired. */
function askForClick(): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.setAttribute('aria-label', 'Choose a file');
    dialog.style.cssText = 'font: inherit; padding: 1.25rem; border-radius: 0.5rem;';
    const text = document.createElement('p');
    text.textContent = 'Choose the file to hand to SignUp Desk.';
    const choose = document.createElement('button');
    choose.textContent = 'Choose file…';
    const cancel = document.createElement('button');
    cancel.textContent = 'Cancel';
    cancel.style.marginLeft = '0.5rem';
    dialog.append(text, choose, cancel);
    const done = (chosen: boolean): void => {
      dialog.close();
      dialog.remove();
      resolve(chosen);
    };
    choose.addEventListener('click', () => done(true), { once: true });
    cancel.addEventListener('click', () => done(false), { once: true });
    dialog.addEventListener('cancel', () => done(false), { once: true });
    document.body.append(dialog);
    dialog.showModal();
    choose.focus();
  });
}

/** Lets the person pick a file; null when they cancel. */
export async function pickFile(accept: string[]): Promise<File | null> {
  if (!hasActivation() && !(await askForClick())) return null;
  return showPicker(accept);
}

/** Saves a Blob the way a browser saves a file: to the person's downloads. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has its own reference to the data once started; give it a moment first.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
