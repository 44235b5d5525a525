import { afterAll, beforeAll, expect, it } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';

let origin = '';
beforeAll(async () => {
  origin = await commands.startHttpFixture();
});
afterAll(async () => {
  await commands.stopHttpFixture(origin);
});

it('runs inside a real Chromium page', () => {
  expect(navigator.userAgent).toMatch(/Chrome\//);
  expect(typeof document.createElement).toBe('function');
  expect(typeof indexedDB.open).toBe('function');
});

it('reaches the Node-side HTTP fixture across origins, and a response without CORS headers fails', async () => {
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(origin).not.toBe(location.origin);
  const ok = await fetch(`${origin}/ok`);
  expect(await ok.text()).toBe('ok');
  await expect(fetch(`${origin}/nocors`)).rejects.toThrow(TypeError);
});

it('drives the page through playwright (real clicks and typing) and saves a screenshot', async () => {
  document.body.innerHTML = '<button id="b">press</button><input id="i">';
  const clicks: string[] = [];
  document.getElementById('b')!.addEventListener('click', () => clicks.push('b'));
  await userEvent.click(page.getByRole('button', { name: 'press' }));
  await userEvent.type(page.getByRole('textbox'), 'typed');
  expect(clicks).toEqual(['b']);
  expect((document.getElementById('i') as HTMLInputElement).value).toBe('typed');
  const path = await page.screenshot();
  expect(path).toContain('test-artifacts');
});
