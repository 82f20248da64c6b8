import { readFileSync } from 'node:fs';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const config = parse(readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8')) as { electronFuses?: Record<string, boolean>; asar?: boolean };

/** electron-builder's names for the fuses (app-builder-lib's generateFuseConfig), and the fuse each one flips. */
const fuseOf: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

describe('the packaged app', () => {
  it('flips exactly these fuses: no running as Node, no NODE_OPTIONS, no inspector; only an intact app.asar', () => {
    const fuses = Object.entries(config.electronFuses ?? {}).map(([name, on]): [FuseV1Options | undefined, boolean] => [fuseOf[name], on]);
    expect(new Map(fuses)).toEqual(
      new Map([
        [FuseV1Options.RunAsNode, false],
        [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
        [FuseV1Options.EnableNodeCliInspectArguments, false],
        [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
        [FuseV1Options.OnlyLoadAppFromAsar, true],
      ]),
    );
    // Asar integrity and only-from-asar mean nothing without an asar (electron-builder's default, never turned off).
    expect(config.asar).not.toBe(false);
  });
});
