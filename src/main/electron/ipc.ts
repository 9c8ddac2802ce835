import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { contract, type Channel } from '@shared/contract';
import { AppError, toErrorShape } from '../errors';
import { dispatch, type Handlers } from '../ipc/dispatch';
import { isTrustedUrl } from './window';

/**
 * Registers one ipcMain handler per contract channel. Each checks that the call comes from the
 * app's own top frame (checklist item 17: validate the sender of all IPC messages), then hands the
 * still-unknown argument to dispatch, which parses it with the contract.
 * https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
export function registerIpc(handlers: Handlers): void {
  for (const channel of Object.keys(contract) as Channel[]) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, raw: unknown) => {
      const frame = event.senderFrame;
      if (frame === null || frame.parent !== null || !isTrustedUrl(frame.url)) {
        return {
          ok: false,
          error: toErrorShape(
            new AppError('Forbidden', 'This request did not come from the SignUp Desk window.'),
          ),
        };
      }
      return dispatch(handlers, channel, raw);
    });
  }
}

/** Main → renderer pushes (import progress), tagged by the contract's event name. */
export function pushEvent(target: WebContents, event: string, payload: unknown): void {
  if (!target.isDestroyed()) target.send(event, payload);
}
