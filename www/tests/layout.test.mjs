// The page on a tablet and from the keyboard: nothing is wider than a
// 768 px screen (wide views such as the timeline scroll inside their own
// box), and every control of a lesson can be reached with Tab and used
// with Enter or Space, without a mouse.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, screenshot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Elements (outside scrolling boxes) that stick out of the viewport. */
async function overflowing(page) {
  return page.evaluate(() => {
    const scrolls = (e) => {
      for (let p = e.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !scrolls(e))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className)} (${Math.round(e.getBoundingClientRect().right)} px)`);
  });
}

test('on a 768 px tablet screen every view fits the width', { timeout: 180_000 }, async () => {
  const page = await openPage(browser, new URL('#/lesson/two-lock-deadlock', BASE_URL).href);
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForSelector('.cm-editor', { timeout: 30_000 });
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  await page.getByTestId('explore').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 120_000 });
  assert.deepEqual(await page.evaluate(() => document.documentElement.scrollWidth), 768, 'no horizontal scrolling');
  assert.deepEqual(await overflowing(page), []);
  await screenshot(page, 'tablet-768-deadlock');
  await page.getByTestId('explore-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${process.env.ARTIFACTS_DIR ?? 'test-results'}/tablet-768-explore.png` });
  await page.close();
});

test('every lesson control can be reached with Tab and used from the keyboard', { timeout: 180_000 }, async () => {
  const page = await openPage(browser, new URL('#/lesson/lost-updates', BASE_URL).href);
  await page.waitForSelector('.cm-editor', { timeout: 30_000 });
  const focused = () => page.evaluate(() => String(document.activeElement?.dataset?.testid ?? document.activeElement?.className ?? ''));
  const tabs = async (n) => {
    const reached = new Set();
    for (let i = 0; i < n; i++) {
      await page.keyboard.press('Tab');
      reached.add(await focused());
    }
    return reached;
  };
  // The first stop skips the header and the lesson list; without it, the
  // theme button and the list come first.
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'skip');
  const top = await tabs(3);
  assert.ok(top.has('theme'), `Tab reaches theme: ${[...top].join(' ')}`);
  assert.ok([...top].some((c) => c.includes('lesson-link')), 'Tab reaches the lesson list');
  await page.getByTestId('skip').focus();
  await page.keyboard.press('Enter');
  const reached = await tabs(25);
  for (const id of ['program', 'scheduler', 'seed', 'run', 'explore', 'reset', 'stdin-toggle']) {
    assert.ok(reached.has(id), `Tab reaches ${id} past the skip link: ${[...reached].join(' ')}`);
  }
  assert.ok([...reached].some((c) => c.includes('cm-content')), 'Tab reaches the editor');
  // The Input box opens from the keyboard, and its text area is next.
  await page.getByTestId('stdin-toggle').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'stdin');
  // The focused control shows where the focus is.
  await page.getByTestId('run').focus();
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'a visible focus ring');
  // Enter on Run runs; then Tab to Explore and press Space.
  await page.keyboard.press('Enter');
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  await page.getByTestId('explore').focus();
  await page.keyboard.press('Space');
  await page.waitForSelector('[data-testid=explore-progress]', { timeout: 30_000 });
  await page.getByTestId('stop').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 30_000 });
  // The replay controls of the finished run work from the keyboard too.
  await page.getByTestId('prev-event').focus();
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('event').innerText(), /^Event \d+ of \d+/);
  await page.close();
});
