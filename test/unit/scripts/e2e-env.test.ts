// The split between what `npm start` needs (code-server, so libkrb5-dev until it is installed) and what the
// tests need besides (Chromium): checked against a fake file system and a cache folder of stamps, so nothing is
// installed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script without type declarations
import { ensureHarness, missingPrerequisites, prerequisiteMessage } from '../../../scripts/e2e-env.mjs';

const CACHE = '/cache/paperlens-e2e';
const CODE_SERVER_STAMP = `${CACHE}/code-server-4.139.1/.complete`;
/** A machine that has exactly these files. */
const machineWith = (...files: string[]) => (path: string) => files.includes(path);

describe('system prerequisites', () => {
  it('npm start on a machine without Chromium asks for nothing once code-server is installed', () => {
    expect(missingPrerequisites({ forTests: false, cache: CACHE, exists: machineWith(CODE_SERVER_STAMP) })).toEqual([]);
  });

  it('npm start on a fresh machine asks for libkrb5-dev only, never for Chromium', () => {
    const missing = missingPrerequisites({ forTests: false, cache: CACHE, exists: machineWith() });
    expect(missing.map((item: { name: string }) => item.name)).toEqual(['libkrb5-dev']);
    expect(prerequisiteMessage(missing)).toBe(
      [
        'Missing Debian package:',
        "  libkrb5-dev: code-server's kerberos module is built against its headers when code-server is installed",
        'Install it with:  sudo apt-get install libkrb5-dev',
      ].join('\n'),
    );
  });

  it('npm start with the Kerberos headers present needs nothing else', () => {
    expect(missingPrerequisites({ forTests: false, cache: CACHE, exists: machineWith('/usr/include/gssapi/gssapi_krb5.h') })).toEqual([]);
  });

  it('the tests on a fresh machine ask for Chromium and libkrb5-dev in one command', () => {
    const missing = missingPrerequisites({ forTests: true, cache: CACHE, exists: machineWith() });
    expect(prerequisiteMessage(missing).split('\n').at(-1)).toBe('Install them with:  sudo apt-get install chromium libkrb5-dev');
  });

  it('the tests with code-server installed still need Chromium', () => {
    const missing = missingPrerequisites({ forTests: true, cache: CACHE, exists: machineWith(CODE_SERVER_STAMP) });
    expect(missing.map((item: { name: string }) => item.name)).toEqual(['chromium']);
  });
});

describe('ensureHarness over an installed cache', () => {
  const saved = process.env.PAPERLENS_E2E_CACHE;
  let cache = '';
  afterEach(() => {
    if (saved === undefined) delete process.env.PAPERLENS_E2E_CACHE;
    else process.env.PAPERLENS_E2E_CACHE = saved;
    rmSync(cache, { recursive: true, force: true });
  });

  /** A cache whose Node and code-server installs are stamped complete: ensureHarness installs nothing. */
  function installedCache(): string {
    cache = mkdtempSync(join(tmpdir(), 'paperlens-e2e-env-'));
    for (const dir of ['node-24', 'code-server-4.139.1']) {
      mkdirSync(join(cache, dir), { recursive: true });
      writeFileSync(join(cache, dir, '.complete'), 'stamp\n');
    }
    process.env.PAPERLENS_E2E_CACHE = cache;
    return cache;
  }

  it('for npm start returns code-server and Node 24 and no browser', () => {
    const root = installedCache();
    const harness = ensureHarness({ forTests: false, log: () => {} });
    expect(harness).toEqual({
      cache: root,
      nodeDir: join(root, 'node-24'),
      node: join(root, 'node-24', 'bin', 'node'),
      codeServerEntry: join(root, 'code-server-4.139.1', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    });
  });
});
