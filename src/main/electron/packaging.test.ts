import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
// Not re-exported by the package's index: the wire's byte values and marker.
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants';
import { describe, expect, it } from 'vitest';
import config from '../../../electron-builder.config';

describe('electron-builder.config.ts', () => {
  it('unpacks keytar (a native addon) from the ASAR', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/keytar/**', '**/*.node']));
  });

  it('builds dmg, NSIS, AppImage and deb', () => {
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.appId).toBe('com.signupdesk.app');
  });

  it("flips the fuses as asked, through electron-builder's own mapping (on a stand-in binary)", async () => {
    // The wire Electron ships: sentinel, version 1, length 8, then each fuse's default state.
    const defaults = [
      FuseState.ENABLE, // RunAsNode
      FuseState.DISABLE, // EnableCookieEncryption
      FuseState.ENABLE, // EnableNodeOptionsEnvironmentVariable
      FuseState.ENABLE, // EnableNodeCliInspectArguments
      FuseState.DISABLE, // EnableEmbeddedAsarIntegrityValidation
      FuseState.DISABLE, // OnlyLoadAppFromAsar
      FuseState.DISABLE, // LoadBrowserProcessSpecificV8Snapshot
      FuseState.ENABLE, // GrantFileProtocolExtraPrivileges
    ];
    const dir = mkdtempSync(join(tmpdir(), 'fuses-'));
    const binary = join(dir, 'electron');
    try {
      writeFileSync(
        binary,
        Buffer.concat([
          Buffer.from('ELF.'),
          Buffer.from(SENTINEL),
          Buffer.from([1, 8, ...defaults]),
          Buffer.from('...'),
        ]),
      );
      // What electron-builder hands to @electron/fuses at packaging time.
      const require = createRequire(import.meta.url);
      const { PlatformPackager } = require('app-builder-lib') as {
        PlatformPackager: { prototype: { generateFuseConfig(fuses: unknown): Promise<FuseConfig> } };
      };
      const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call(null, config.electronFuses);
      await flipFuses(binary, fuseConfig);
      const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
      expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
      expect(readFileSync(binary).length).toBe(4 + SENTINEL.length + 10 + 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
