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
const COUNTER_2X2 = 'import threading\ncounter = 0\ndef work():\n    global counter\n    for _ in range(2):\n        value = counter\n        counter = value + 1\nt1 = threading.Thread(target=work)\nt2 = threading.Thread(target=work)\nt1.start(); t2.start()\nt1.join(); t2.join()\nprint(counter)\n';
const PHILOSOPHERS_3 = 'import threading\nforks = [threading.Lock() for _ in range(3)]\ndef dine(first, second):\n    with forks[first]:\n        with forks[second]:\n            pass\nps = [threading.Thread(target=dine, args=(i, (i + 1) % 3)) for i in range(3)]\nfor p in ps:\n    p.start()\nfor p in ps:\n    p.join()\nprint(\'all ate\')\n';
const PHILOSOPHERS_5 = PHILOSOPHERS_3.replaceAll('3', '5');
const PHILOSOPHERS_6 = PHILOSOPHERS_3.replaceAll('3', '6');
const PHILOSOPHERS_7 = PHILOSOPHERS_3.replaceAll('3', '7');
/** [name, program, preemption bound or null for none] */
const EXPLORE_PROGRAMS = [
  ['counter 2 threads x 2, no bound', COUNTER_2X2, null],
  ['naive philosophers N=5, bound 2', PHILOSOPHERS_5, 2],
  ['naive philosophers N=5, no bound', PHILOSOPHERS_5, null],
  ['naive philosophers N=6, no bound', PHILOSOPHERS_6, null],
  // Long enough (seconds) for the speedup on all workers to show past the
  // fixed costs of a search.
  ['naive philosophers N=7, no bound', PHILOSOPHERS_7, null],
];
// Runs of each explorer search in the page, for the best of them.
const ROUNDS = 3;
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

  // The explorer in the page: the same search on one worker and on all of
  // them (identical results), against `interleave explore` natively.
  console.log('\nexplorer in the page (Explore panel), one worker vs all, and natively');
  const speedups = [];
  for (const [name, program, bound] of EXPLORE_PROGRAMS) {
    await page.goto(new URL('#/lesson/lost-updates', BASE_URL).href);
    await page.waitForSelector('.cm-editor');
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.locator('.cm-content').evaluate((el, t) => { el.focus(); document.execCommand('insertText', false, t); }, program);
    const timed = {};
    // The best of ROUNDS runs each, alternating one worker and all of
    // them, so that a busy moment of the machine slows both alike (as
    // bench_reference times the native parallel search).
    for (let round = 0; round < ROUNDS; round++) for (const workers of ['1', 'all']) {
      // The first Explore opens the panel; the settings then apply to the next.
      if (!(await page.getByTestId('explore-panel').count())) {
        await page.getByTestId('explore').click();
        await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 300_000 });
      }
      await page.getByTestId('explore-bound').fill(String(bound ?? 6));
      await page.getByTestId('explore-budget').selectOption('1000000');
      await page.getByTestId('explore-workers').selectOption(workers);
      // A search of a few milliseconds can start and end between two polls
      // of a selector, so a MutationObserver notes that the panel ran.
      await page.evaluate(() => {
        window.__exploreRan = false;
        window.__exploreObserver?.disconnect();
        const running = (el) => el?.dataset?.testid === 'explore-panel' && el.dataset.state === 'running';
        window.__exploreObserver = new MutationObserver((records) => {
          for (const r of records) {
            const added = [...r.addedNodes].flatMap((n) => (n.querySelectorAll ? [n, ...n.querySelectorAll('[data-testid=explore-panel]')] : []));
            if ((r.target.dataset?.testid === 'explore-panel' && r.oldValue === 'running') || running(r.target) || added.some(running)) window.__exploreRan = true;
          }
        });
        window.__exploreObserver.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
      });
      await page.getByTestId('explore-again').click();
      // The answer is in once the panel goes on to count the chart's
      // smaller bounds, which this benchmark does not time: Stop ends them.
      await page.waitForFunction(() => window.__exploreRan && ['charting', 'done'].includes(document.querySelector('[data-testid=explore-panel]')?.dataset.state), null, { timeout: 300_000 });
      // (Checked and clicked in one turn of the page, as the chart may
      // end in between.)
      await page.evaluate(() => {
        if (document.querySelector('[data-testid=explore-panel]')?.dataset.state === 'charting') document.querySelector('[data-testid=stop]').click();
      });
      await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 60_000 });
      const results = page.getByTestId('explore-results');
      const executions = Number(await results.getAttribute('data-executions'));
      const distinct = Number(await results.getAttribute('data-distinct-states'));
      const seconds = Number(await results.getAttribute('data-elapsed-ms')) / 1000;
      if (!timed[workers] || seconds < timed[workers].seconds) timed[workers] = { executions, distinct, seconds };
    }
    for (const workers of ['1', 'all']) {
      const { executions, distinct, seconds } = timed[workers];
      const who = workers === '1' ? '1 worker ' : `${await page.evaluate(() => navigator.hardwareConcurrency)} workers`;
      // The state graph (with a bound too): each distinct state once,
      // schedules counted; the figures are those of the last bound's search.
      console.log(`  ${name.padEnd(34)} ${who} ${String(distinct).padStart(7)} distinct states in ${seconds.toFixed(2)} s = ${(distinct / seconds).toFixed(0)} states/s (${executions.toExponential(2)} schedules counted, best of ${ROUNDS})`);
    }
    console.log(`  ${''.padEnd(34)} speedup all/1: ${(timed['1'].seconds / timed.all.seconds).toFixed(2)}x`);
    speedups.push([name, timed['1'].seconds, timed['1'].seconds / timed.all.seconds]);
    if (NATIVE) {
      const file = join(mkdtempSync(join(tmpdir(), 'interleave-bench-')), 'program.py');
      writeFileSync(file, program);
      const args = ['explore', file, '--max-executions', '1000000', '--max-states', '1000000', '--json', '--jobs', '1'];
      if (bound !== null) args.push('--preemption-bound', String(bound));
      const report = JSON.parse(execFileSync(NATIVE, args, { maxBuffer: 1 << 26 }).toString());
      console.log(`  ${''.padEnd(34)} native, 1 job: ${report.distinct_states} distinct states in ${(report.elapsed_ms / 1000).toFixed(2)} s = ${(report.distinct_states / report.elapsed_ms * 1000).toFixed(0)} states/s`);
    }
  }
  // The goal: 1.7x on 2 workers over 1. Judged on searches that
  // take 0.2 s or more on one worker: a shorter one times the pool's
  // start-up and the first sequential steps, not the split of the work.
  console.log('\ngoal: 1.7x on all workers over 1 in the page (searches of 0.2 s or more on one worker)');
  for (const [name, seconds, speedup] of speedups) {
    const verdict = seconds < 0.2 ? 'not judged: too short to time' : speedup >= 1.7 ? 'met' : 'not met';
    console.log(`  ${name.padEnd(34)} ${speedup.toFixed(2)}x  ${verdict}`);
  }
} finally {
  await browser.close();
}
