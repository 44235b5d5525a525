import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../src/index.js';

const servers: StaticServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

it('serves a root folder and in-memory files on 127.0.0.1, and nothing outside the root', async () => {
  const root = await mkdtemp(join(tmpdir(), 'fayger-static-'));
  await writeFile(join(root, 'a.txt'), 'from disk');
  const s = await startStaticServer({ root, files: { '/mem.js': 'export {}' } });
  servers.push(s);
  expect(s.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(await (await fetch(`${s.origin}/a.txt`)).text()).toBe('from disk');
  const mem = await fetch(`${s.origin}/mem.js`);
  expect(mem.headers.get('content-type')).toContain('javascript');
  for (const p of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/missing']) {
    expect((await fetch(`${s.origin}${p}`)).status).toBe(404);
  }
});
