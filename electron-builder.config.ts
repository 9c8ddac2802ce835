/**
 * Installers: `npm run dist` builds the app (electron-vite) and packages it for the machine it runs
 * on — macOS dmg, Windows NSIS, Linux AppImage + deb — into dist/. CI runs it on each OS.
 * https://www.electron.build/configuration
 *
 * Security at packaging time (Electron security checklist item 19, "Check which fuses you can
 * change"): the fuses below are flipped in the packaged binary before signing, and the ASAR's
 * integrity hash is embedded (electron-builder computes it) so Electron refuses a modified
 * app.asar on macOS and Windows. https://www.electronjs.org/docs/latest/tutorial/fuses
 */
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'com.signupdesk.app',
  productName: 'SignUp Desk',
  executableName: 'signup-desk',
  directories: { output: 'dist', buildResources: 'build' },

  // The built app only; production dependencies (node_modules) are added by electron-builder.
  files: ['out/**/*', 'package.json', '!**/*.map'],

  asar: true,
  asarUnpack: [
    // keytar is a native addon: the OS loads its .node file from a real path, never from the ASAR.
    '**/node_modules/keytar/**',
    '**/*.node',
  ],
  // cognito-local (the sandbox) stays inside app.asar: a utility process reads scripts from the
  // ASAR like the main process does, and its data goes to the data folder, not next to the code.

  // keytar is N-API: the binary npm installed runs under Electron as is, no rebuild against
  // Electron's headers (and none of the network or compiler that needs).
  npmRebuild: false,

  electronFuses: {
    // No ELECTRON_RUN_AS_NODE: the binary cannot be used as a plain Node (the sandbox uses a
    // utility process instead).
    runAsNode: false,
    // Chromium's cookie store encrypted with the OS key (the app sets no cookies; one-way switch).
    enableCookieEncryption: true,
    // No NODE_OPTIONS / NODE_EXTRA_CA_CERTS, no --inspect / --inspect-brk / SIGUSR1 inspector.
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    // app.asar is checked against the embedded hash, and it is the only place app code loads from.
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served from app:// (src/main/electron/app-protocol.ts), never file://.
    grantFileProtocolExtraPrivileges: false,
    // Electron's default, stated: one V8 snapshot for every process.
    loadBrowserProcessSpecificV8Snapshot: false,
    // Apple Silicon refuses a binary whose signature the fuse flip invalidated: re-sign ad hoc
    // (a real identity, when configured, signs afterwards).
    resetAdHocDarwinSignature: true,
  },

  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    hardenedRuntime: true,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },

  win: { target: ['nsis'] },
  nsis: {
    artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },

  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    synopsis: 'Provision users into Amazon Cognito user pools',
    // The deb needs a maintainer; package.json has no author. Replace with the real contact.
    maintainer: 'SignUp Desk maintainers <signup-desk@example.invalid>',
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  // electron-builder's default deb dependencies already include libsecret-1-0 (keytar's Secret
  // Service client) next to GTK, NSS and friends.
  deb: { artifactName: '${name}_${version}_${arch}.${ext}' },

  // Installers are CI artifacts; nothing is published from here.
  publish: null,
};

export default config;
