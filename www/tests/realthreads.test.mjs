// The lesson "Lost updates on real threads", end to end in headless Chromium
// against the served release build.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { BASE_URL, DIST_DIR, launch, openPage, screenshot, startFrameGapMeter, stopFrameGapMeter } from './browser.mjs';

const LESSON = new URL('#/lesson/real-threads-lost-updates', BASE_URL).href;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function variant(page, key) {
  const card = page.getByTestId(`variant-${key}`);
  return {
    expected: Number(await card.getAttribute('data-expected')),
    actual: Number(await card.getAttribute('data-actual')),
    lost: Number(await card.getAttribute('data-lost')),
    ms: Number(await card.getAttribute('data-ms')),
    text: await card.innerText(),
  };
}

test('the lesson runs the three variants on a real pool without freezing the page', { timeout: 180_000 }, async () => {
  const page = await openPage(browser, LESSON);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, 'the page is cross-origin isolated');

  const status = page.getByTestId('pool-status');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=pool-status]')?.dataset.threads) > 0,
    null, { timeout: 30_000 });
  const threads = Number(await status.getAttribute('data-threads'));
  assert.ok(threads > 1, `the pool has more than one thread (it has ${threads})`);

  const workers = Number(await page.getByTestId('workers').inputValue());
  assert.equal(workers, threads, 'N defaults to all cores');
  const increments = 2_000_000;
  await page.getByTestId('increments').fill(String(increments));
  await page.getByTestId('increments').dispatchEvent('change');

  await startFrameGapMeter(page);
  await page.getByTestId('run').click();
  await page.waitForSelector('article.real-threads[data-state=done]', { timeout: 120_000 });
  const gaps = await stopFrameGapMeter(page);

  const n = workers * increments;
  const atomic = await variant(page, 'atomic');
  const mutex = await variant(page, 'mutex');
  const unsync = await variant(page, 'unsync');
  for (const [name, v] of [['atomic', atomic], ['mutex', mutex], ['unsync', unsync]]) {
    assert.equal(v.expected, n, `${name}: expected N*M`);
    assert.ok(v.ms > 0, `${name}: an elapsed time is shown`);
    assert.match(v.text, /Throughput/);
  }
  assert.equal(atomic.actual, n, 'fetch_add loses nothing');
  assert.equal(mutex.actual, n, 'the mutex loses nothing');
  // Lost updates can leave anything from 2 to N*M (not M: one worker's
  // whole run can be overwritten, see crates/realthreads' test of it).
  assert.ok(unsync.actual <= n && unsync.actual >= 2, `unsynchronized ends between 2 and N*M (got ${unsync.actual})`);
  assert.equal(unsync.lost, n - unsync.actual);
  assert.match(await page.getByTestId('variant-unsync').innerText(), /counter\.load/, 'the Rust code is shown');
  assert.match(await page.getByTestId('reference').innerText(), /one thread alone/);

  assert.ok(gaps.frames > 5, `the page kept animating (${gaps.frames} frames)`);
  assert.ok(gaps.max < 200, `longest gap between frames ${gaps.max.toFixed(1)} ms stays under 200 ms`);
  console.log(`frames: ${gaps.frames}, longest gap ${gaps.max.toFixed(1)} ms; unsynchronized lost ${unsync.lost} of ${n}`);
  assert.deepEqual(page.errors, []);
  await screenshot(page, 'real-threads-lesson');
});

test('without cross-origin isolation the page explains why threads are off', { timeout: 180_000 }, async () => {
  // A plain static server without the COOP/COEP headers.
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(DIST_DIR, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? (path === '/' ? 'text/html' : 'application/octet-stream') });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const page = await openPage(browser, `http://127.0.0.1:${server.address().port}/#/lesson/real-threads-lost-updates`);
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
    const status = page.getByTestId('pool-status');
    await status.waitFor();
    await page.waitForFunction(() => /not available/.test(document.querySelector('[data-testid=pool-status]')?.innerText ?? ''));
    const text = await status.innerText();
    assert.match(text, /not cross-origin isolated/);
    assert.match(text, /Cross-Origin-Embedder-Policy: require-corp/);
    assert.equal(await page.getByTestId('run').isDisabled(), true, 'Run is disabled');
    await screenshot(page, 'real-threads-not-isolated');
  } finally {
    server.close();
  }
});
