// The served page is cross-origin isolated: without that, browsers give it
// no shared memory and the real-threads lessons cannot run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL } from './browser.mjs';

test('every response carries the isolation headers, and wasm is application/wasm', { timeout: 180_000 }, async () => {
  const index = await fetch(BASE_URL);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(index.headers.get('cross-origin-embedder-policy'), 'require-corp');
  const html = await index.text();
  const wasm = html.match(/[\w./-]+\.wasm/);
  assert.ok(wasm, 'index.html references the wasm module');
  const module = await fetch(new URL(wasm[0], BASE_URL));
  assert.equal(module.status, 200);
  assert.equal(module.headers.get('content-type'), 'application/wasm');
  assert.equal(module.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(module.headers.get('cross-origin-embedder-policy'), 'require-corp');
  const missing = await fetch(new URL('no-such-file.js', BASE_URL));
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('cross-origin-embedder-policy'), 'require-corp');
});
