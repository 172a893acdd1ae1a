// Benchmark: the playground page in headless Chromium. Prints the time from
// navigation to an interactive editor (cold and warm), the wasm and JS sizes
// (raw and gzip), the frame rate while a program of about ten million steps
// runs, and the engine's steps per second in the worker against the native
// runner on the same program. Figures only; nothing is asserted.

import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { launch, BASE_URL, DIST_DIR } from '../tests/browser.mjs';

const NATIVE = process.env.NATIVE_RUNNER;
const PROGRAM = 'total = 0\nfor i in range(1_500_000):\n    total += i % 7\nprint(total)\n';

console.log('sizes (dist/)');
for (const f of readdirSync(DIST_DIR).filter((f) => /\.(wasm|js|css)$/.test(f)).sort()) {
  const bytes = readFileSync(join(DIST_DIR, f));
  console.log(`  ${f.padEnd(48)} ${String(statSync(join(DIST_DIR, f)).size).padStart(9)} B raw ${String(gzipSync(bytes, { level: 9 }).length).padStart(9)} B gzip`);
}

const lesson = new URL('#/lesson/creating-threads', BASE_URL).href;
const browser = await launch();
try {
  const page = await browser.newPage();
  const interactive = async () => {
    const t0 = Date.now();
    await page.goto(lesson);
    await page.waitForSelector('.cm-editor');
    return Date.now() - t0;
  };
  const cold = await interactive();
  const warm = await interactive();
  console.log(`\ntime to an interactive editor: cold ${cold} ms, warm ${warm} ms`);

  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.locator('.cm-content').evaluate((el, t) => { el.focus(); document.execCommand('insertText', false, t); }, PROGRAM);
  // Warm the worker pool with one run, then measure the second.
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]');
  const result = await page.evaluate(() => new Promise((resolve) => {
    let frames = 0;
    let longest = 0;
    let last = performance.now();
    const start = last;
    let done = false;
    const tick = (t) => { frames += 1; longest = Math.max(longest, t - last); last = t; if (!done) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const article = document.querySelector('article.python-lesson');
    const observer = new MutationObserver(() => {
      if (article.dataset.state === 'done') {
        done = true;
        observer.disconnect();
        const ms = performance.now() - start;
        resolve({ ms, frames, longest, facts: document.querySelector('.outcome .facts')?.innerText ?? '' });
      }
    });
    observer.observe(article, { attributes: true });
    document.querySelector('[data-testid=run]').click();
  }));
  const steps = Number(result.facts.split(' steps')[0].replace(/,/g, ''));
  console.log(`run of ${steps} steps in the worker: ${result.ms.toFixed(0)} ms (${(steps / result.ms / 1000).toFixed(2)} M steps/s, including handing the run over)`);
  console.log(`frames while it ran: ${result.frames} in ${result.ms.toFixed(0)} ms = ${(result.frames / result.ms * 1000).toFixed(0)} fps, longest gap ${result.longest.toFixed(1)} ms`);
  if (NATIVE) {
    const file = join(mkdtempSync(join(tmpdir(), 'interleave-bench-')), 'program.py');
    writeFileSync(file, PROGRAM);
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      execFileSync(NATIVE, ['run', file]);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    console.log(`native runner, same program: ${best.toFixed(0)} ms (${(steps / best / 1000).toFixed(2)} M steps/s, including process start)`);
    console.log(`worker / native steps per second: ${(best / result.ms).toFixed(2)}`);
  }
} finally {
  await browser.close();
}
