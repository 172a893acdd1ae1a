// Benchmark: the real-threads lesson on the page's Web Workers, in headless
// Chromium. Prints increments per second of each variant and its ratio to one
// thread alone, measured in the same run. Figures only; nothing is asserted.

import { launch, openPage, BASE_URL } from '../tests/browser.mjs';

const increments = Number(process.env.INCREMENTS ?? 5_000_000);
const browser = await launch();
try {
  const page = await openPage(browser, new URL('#/lesson/real-threads-lost-updates', BASE_URL).href);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=pool-status]')?.dataset.threads) > 0,
    null, { timeout: 30_000 });
  const threads = Number(await page.getByTestId('pool-status').getAttribute('data-threads'));
  await page.getByTestId('increments').fill(String(increments));
  await page.getByTestId('increments').dispatchEvent('change');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.real-threads[data-state=done]', { timeout: 600_000 });
  const reference = Number(await page.getByTestId('reference').getAttribute('data-rate'));
  const pad = (s, n) => String(s).padStart(n);
  console.log(`browser (Chromium, ${threads} Web Workers), ${increments} increments per worker`);
  console.log(`${'variant'.padEnd(34)} ${pad('increments/s', 14)} ${pad('vs 1 thr', 10)} ${pad('lost', 14)} ${pad('ms', 10)}`);
  console.log(`${'one thread alone (reference)'.padEnd(34)} ${pad(reference.toFixed(0), 14)} ${pad('1.00', 10)} ${pad(0, 14)} ${pad('', 10)}`);
  for (const [key, title] of [['unsync', 'Unsynchronized read, then write'], ['atomic', 'Atomic fetch_add'], ['mutex', 'Mutex']]) {
    const card = page.getByTestId(`variant-${key}`);
    const rate = Number(await card.getAttribute('data-rate'));
    const lost = await card.getAttribute('data-lost');
    const ms = Number(await card.getAttribute('data-ms'));
    console.log(`${title.padEnd(34)} ${pad(rate.toFixed(0), 14)} ${pad((rate / reference).toFixed(2), 10)} ${pad(lost, 14)} ${pad(ms.toFixed(1), 10)}`);
  }
} finally {
  await browser.close();
}
