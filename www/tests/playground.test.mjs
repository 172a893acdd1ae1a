// The Python playground, end to end in headless Chromium: every lesson runs
// to its expected end state, errors show where they are, Stop stops at once,
// the deadlock report names the cycle, and the trace exports as Chrome JSON.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, launch, openPage, screenshot, startFrameGapMeter, stopFrameGapMeter, openLesson, typeProgram, pickThread } from './browser.mjs';

const ROOT = join(process.cwd(), '..');
const CORPUS = join(ROOT, 'crates/engine/tests/corpus');

/** Every lesson file's front matter. */
function lessons() {
  const out = [];
  for (const chapter of readdirSync(join(ROOT, 'lessons')).sort()) {
    for (const file of readdirSync(join(ROOT, 'lessons', chapter)).sort()) {
      const text = readFileSync(join(ROOT, 'lessons', chapter, file), 'utf8');
      const front = text.split('\n---\n')[0].replace(/^---\n/, '');
      const meta = Object.fromEntries(front.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      out.push(meta);
    }
  }
  return out;
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


async function runAndWait(page) {
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
}


test('every lesson loads and runs to its expected end state', { timeout: 180_000 }, async () => {
  const all = lessons();
  assert.ok(all.length >= 15, `found ${all.length} lessons`);
  for (const lesson of all) {
    const page = await openLesson(browser, lesson.id);
    await runAndWait(page);
    const outcome = page.getByTestId('outcome');
    const kind = await outcome.getAttribute('data-outcome');
    const exit = await outcome.getAttribute('data-exit');
    const where = `${lesson.id} (${lesson.program})`;
    const out = await page.getByTestId('console').locator('.stdout').allInnerTexts();
    if (lesson.expect === 'deadlock') {
      assert.equal(kind, 'deadlock', `${where}: deadlocks`);
    } else if (lesson.expect === 'error') {
      assert.equal(kind, 'finished', where);
      assert.equal(exit, '1', `${where}: exits with status 1`);
    } else {
      assert.equal(kind, 'finished', `${where}: finishes`);
      assert.equal(exit, '0', `${where}: exits with status 0`);
    }
    if (lesson.expect === 'deterministic' || lesson.expect === 'deadlock') {
      const expected = readFileSync(join(CORPUS, lesson.program.replace(/\.py$/, '.out')), 'utf8');
      assert.equal(out.join(''), expected, `${where}: the console shows CPython's output`);
    }
    assert.match(await page.getByTestId('schedule').innerText(), /^\d+x\d+/, `${where}: a schedule string`);
    assert.ok(await page.locator('[data-testid=timeline] .lane').count() >= 1, `${where}: a timeline lane`);
    assert.deepEqual(page.errors, [], `${where}: no page errors`);
    await page.close();
  }
});

test('the deadlock lesson names both threads and both locks of the cycle', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'two-lock-deadlock');
  await runAndWait(page);
  const report = await page.getByTestId('deadlock-report').innerText();
  for (const name of ['Thread-1 (worker1)', 'Thread-2 (worker2)', 'lock_a', 'lock_b']) {
    assert.ok(report.includes(name), `the report names ${name}:\n${report}`);
  }
  assert.equal(await page.locator('[data-testid=threads] tr.blocked').count(), 3, 'three threads are blocked');
  const cycle = await page.getByTestId('wait-for-graph').getAttribute('data-cycle');
  assert.ok(cycle.includes('Thread-1 (worker1)') && cycle.includes('Thread-2 (worker2)'), `the graph's cycle: ${cycle}`);
  assert.match(await page.getByTestId('coffman').innerText(), /global order/);
  const graph = await page.getByTestId('wait-for-graph').innerText();
  assert.ok(graph.includes('lock lock_a') && graph.includes('lock lock_b'), `the arrows name the locks: ${graph}`);
  await screenshot(page, 'playground-deadlock');
  // The theme button flips the page to the other theme, and the choice survives a reload.
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  const before = await theme();
  await page.getByTestId('theme').click();
  const after = await theme();
  assert.notEqual(after, before);
  await page.reload();
  await page.waitForSelector('.cm-editor');
  assert.equal(await theme(), after, 'the theme is remembered');
  await runAndWait(page);
  await screenshot(page, `playground-deadlock-${after}`);
  await page.close();
});

test('an edited program runs, and a syntax error shows at its line and column', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'creating-threads');
  await typeProgram(page, 'import threading\nprint("edited", 6 * 7)\n');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('article.python-lesson[data-state=done]');
  assert.equal(await page.getByTestId('console').innerText(), 'edited 42\n');

  await typeProgram(page, 'x = 1\nif x == 1\n    print(x)\n');
  await runAndWait(page);
  const message = await page.getByTestId('syntax-error').innerText();
  assert.match(message, /SyntaxError: expected ':'/);
  assert.match(message, /line 2, column 10/);
  await page.waitForSelector('.cm-lintRange-error, .cm-lintPoint-error', { state: 'attached' });
  assert.match(await page.getByTestId('console').innerText(), /File "main.py", line 2/);
  await screenshot(page, 'playground-syntax-error');
  await page.close();
});

test('Stop ends an endless loop at once while the page keeps animating', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'creating-threads');
  await typeProgram(page, 'n = 0\nwhile True:\n    n += 1\n');
  await startFrameGapMeter(page);
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=running]');
  await page.waitForTimeout(300);
  const elapsed = await page.evaluate(() => new Promise((resolve, reject) => {
    const article = document.querySelector('article.python-lesson');
    if (article.dataset.state !== 'running') reject(new Error(`the loop already ended: ${article.dataset.state}`));
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (article.dataset.state === 'done') {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(article, { attributes: true });
    document.querySelector('[data-testid=stop]').click();
  }));
  const gaps = await stopFrameGapMeter(page);
  assert.ok(elapsed < 200, `stopped after ${elapsed.toFixed(1)} ms`);
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'stopped');
  assert.ok(gaps.max < 200, `longest frame gap during the run ${gaps.max.toFixed(1)} ms`);
  console.log(`Stop took ${elapsed.toFixed(1)} ms; longest frame gap ${gaps.max.toFixed(1)} ms over ${gaps.frames} frames`);
  await page.close();
});

test('the trace exports as Chrome Trace Event JSON', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'two-lock-deadlock');
  await runAndWait(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-trace').click()]);
  const path = await download.path();
  const trace = JSON.parse(readFileSync(path, 'utf8'));
  assert.ok(Array.isArray(trace.traceEvents), 'has traceEvents');
  const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args.name);
  assert.ok(names.includes('MainThread') && names.includes('Thread-1 (worker1)'), `thread names: ${names}`);
  const runs = trace.traceEvents.filter((e) => e.ph === 'X');
  assert.ok(runs.length > 0 && runs.every((e) => typeof e.ts === 'number' && e.dur >= 0 && e.pid === 1));
  // The output exports as text, exactly as the console shows it.
  const [text] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-output').click()]);
  assert.equal(text.suggestedFilename(), 'interleave-output.txt');
  assert.equal(readFileSync(await text.path(), 'utf8').trimEnd(), (await page.getByTestId('console').innerText()).trimEnd());
  await page.close();
});

test('you are the scheduler: a scripted sequence of clicks loses an update, and its share link replays it', { timeout: 180_000 }, async () => {
  const program = [
    'import threading',
    '',
    'counter = 0',
    '',
    'def add():',
    '    global counter',
    '    seen = counter',
    '    counter = seen + 1',
    '',
    't1 = threading.Thread(target=add)',
    't2 = threading.Thread(target=add)',
    't1.start()',
    't2.start()',
    't1.join()',
    't2.join()',
    'print("counter =", counter)',
    '',
  ].join('\n');
  const page = await openLesson(browser, 'lost-updates');
  await typeProgram(page, program);
  await page.getByTestId('scheduler').selectOption('manual');
  await page.getByTestId('run').click();
  await page.getByTestId('pick-panel').waitFor();

  const button = (name) => page.locator(`[data-testid=pick][data-thread="${name}"]`);
  const click = (name) => pickThread(page, name);
  const line = async (name) => Number(await button(name).getAttribute('data-line'));

  // Main starts both threads and blocks in t1.join().
  for (let i = 0; i < 20 && !(await button('MainThread').isDisabled()); i++) await click('MainThread');
  assert.ok(await button('Thread-1 (add)').count() && await button('Thread-2 (add)').count(), 'both threads exist');
  // Thread-1 reads the counter (it stops on the line that writes it)...
  for (let i = 0; i < 10 && (await line('Thread-1 (add)')) !== 8; i++) await click('Thread-1 (add)');
  assert.equal(await line('Thread-1 (add)'), 8, 'Thread-1 has read counter and is about to write');
  // ...Thread-2 runs to its end, writing 1...
  for (let i = 0; i < 20 && await button('Thread-2 (add)').count(); i++) await click('Thread-2 (add)');
  // ...then Thread-1 writes its stale value + 1 = 1 as well, and main prints.
  for (let i = 0; i < 40; i++) {
    if (await page.locator('article.python-lesson[data-state=done]').count()) break;
    const next = (await button('Thread-1 (add)').count()) ? 'Thread-1 (add)' : 'MainThread';
    await click(next);
  }
  await page.waitForSelector('article.python-lesson[data-state=done]');
  const output = await page.getByTestId('console').innerText();
  assert.equal(output, 'counter = 1\n', 'one of the two updates was lost');
  // The timeline as data (elements with their attributes in a fixed order),
  // so that two renderings compare equal whatever order the DOM kept.
  const shape = (p) => p.getByTestId('timeline').evaluate((root) => [...root.querySelectorAll('*')].map((el) =>
    [el.tagName, ...[...el.attributes].map((a) => `${a.name}=${a.value}`).sort(), el.children.length ? '' : el.textContent]));
  const timeline = await shape(page);
  assert.ok(timeline.length > 10, 'the timeline has lanes and segments');
  await screenshot(page, 'playground-manual-scheduler');

  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  assert.match(link, /#\/lesson\/lost-updates\/run\/[A-Za-z0-9_-]+$/);
  const replay = await openPage(browser, link);
  await replay.waitForSelector('article.python-lesson[data-state=done]', { timeout: 30_000 });
  assert.equal(await replay.getByTestId('console').innerText(), output, 'the link reproduces the output');
  assert.deepEqual(await shape(replay), timeline, 'the link reproduces the timeline');
  assert.equal(await replay.getByTestId('schedule').innerText(), await page.getByTestId('schedule').innerText());
  assert.deepEqual(replay.errors, []);
  await replay.close();
  await page.close();
});

test('a finished run can be stepped back through and replayed event by event', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'producer-consumer');
  await runAndWait(page);
  const full = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  const scrub = page.getByTestId('scrub');
  const last = Number(await scrub.getAttribute('max'));
  assert.ok(last > 10, `the run has events (${last + 1})`);
  const threadsAtEnd = await page.getByTestId('threads').locator('tbody tr').count();
  await scrub.fill('0');
  assert.match(await page.getByTestId('event').innerText(), /^Event 1 of \d+: 0 ns: MainThread /);
  // The views follow the cursor: at the first event only the main thread
  // exists, and the editor marks the line it is on.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=threads] tbody tr').length === 1, null, { timeout: 30_000 });
  assert.ok(threadsAtEnd > 1, `more threads at the end (${threadsAtEnd})`);
  await page.locator('.cm-running-line').first().waitFor({ state: 'attached', timeout: 30_000 });
  await page.getByTestId('timeline-cursor').waitFor({ state: 'attached' });
  const early = await page.getByTestId('console').innerText();
  assert.ok(full.startsWith(early) && early.length < full.length, 'going back shows only what was printed by then');
  await page.getByTestId('next-event').click();
  assert.match(await page.getByTestId('event').innerText(), /^Event 2 of /, 'next event');
  await page.getByTestId('prev-event').click();
  assert.match(await page.getByTestId('event').innerText(), /^Event 1 of /, 'and back');
  // "Run to the next event" skips the scheduling steps (the "runs until"
  // stretches) to the next thing a thread does.
  for (let i = 0; i < 5; i++) {
    await page.getByTestId('next-visible').click();
    const text = await page.getByTestId('event').innerText();
    assert.doesNotMatch(text, /: runs until /, text);
  }
  await scrub.fill('0');
  await scrub.fill(String(Math.floor(last / 2)));
  const middle = await page.getByTestId('console').innerText();
  assert.ok(full.startsWith(middle) && middle.length >= early.length, 'the console grows as the cursor moves on');
  // The speed slider's last stop is 16 events a tick.
  await page.getByTestId('speed').fill('4');
  assert.match(await page.locator('label.speed').innerText(), /16 events\/tick/);
  await page.getByTestId('play').click();
  await page.waitForFunction(() => /events; drag/.test(document.querySelector('[data-testid=event]')?.innerText ?? ''), null, { timeout: 60_000 });
  assert.equal((await page.getByTestId('console').locator('.stdout').allInnerTexts()).join(''), full, 'the replay ends on the whole output');
  await screenshot(page, 'playground-producer-consumer');
  // Step: the same run, opened at its first event, with nothing printed yet.
  await page.getByTestId('step').click();
  await page.waitForFunction(() => /^Event 1 of/.test(document.querySelector('[data-testid=event]')?.innerText ?? ''), null, { timeout: 60_000 });
  assert.ok(full.startsWith(await page.getByTestId('console').innerText()), 'the console shows the run as of its first event');
  await page.getByTestId('next-event').click();
  assert.match(await page.getByTestId('event').innerText(), /^Event 2 of /);
  await page.close();
});

test('inside a pool\'s code, a thread shows the line of the program that called it', { timeout: 180_000 }, async () => {
  const program = [
    'from concurrent.futures import ThreadPoolExecutor',
    '',
    'def square(n):',
    '    return n * n',
    '',
    'with ThreadPoolExecutor(max_workers=1) as pool:',
    '    future = pool.submit(square, 3)',
    '    print(future.result())',
    '',
  ].join('\n');
  const page = await openLesson(browser, 'thread-pool');
  await typeProgram(page, program);
  await page.getByTestId('scheduler').selectOption('manual');
  await page.getByTestId('run').click();
  await page.getByTestId('pick-panel').waitFor();
  const main = page.locator('[data-testid=pick][data-thread="MainThread"]');
  const mainRow = page.locator('[data-testid=threads] tr[data-thread="MainThread"]');
  // The row's line, and the module under the thread's name if any.
  const where = async (row) => {
    const line = await row.locator('td:nth-child(3)').innerText();
    const module = row.locator('.in-module');
    return (await module.count()) ? `${line} ${await module.innerText()}` : line;
  };
  // Each click runs the main thread to its next line of the program: the
  // lines of concurrent.futures, which the pool is written in, are stepped
  // over as one call (or stop where the thread blocks in there).
  const seen = new Set();
  for (let i = 0; i < 12 && !(await main.isDisabled()); i++) {
    await pickThread(page, 'MainThread');
    if (await page.getByTestId('pick-panel').count() === 0) break;
    seen.add(await where(mainRow));
  }
  const lines = [...seen];
  // Blocked in future.result() (line 8): inside the pool's code, at the
  // program's line that called it.
  assert.ok(lines.includes('8 in concurrent.futures'), JSON.stringify(lines));
  assert.ok(lines.every((l) => /^(\d|—)( in concurrent\.futures)?$/.test(l)), `only lines of the 9-line program: ${JSON.stringify(lines)}`);
  const worker = page.locator('[data-testid=threads] tr[data-thread="ThreadPoolExecutor-0_0"]');
  assert.match(await where(worker), /^(—|4)( in concurrent\.futures)?$/);
  await screenshot(page, 'pool-threads-lines');
  await page.close();
});

test('the CPU scheduling lesson: four policies\' Gantt charts, and the engine\'s own scheduler keeps an IO thread waiting behind 5 ms slices', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'cpu-scheduling');
  await runAndWait(page);
  const printed = async () => (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.equal(await printed(), readFileSync(join(CORPUS, 'processes/cpu_scheduling.out'), 'utf8'));
  await page.getByTestId('program').selectOption({ label: 'threads_share_one_cpu.py' });
  await runAndWait(page);
  const order = (text) => [...text.matchAll(/^(\w+) job: done/gm)].map((m) => m[1]);
  // Like CPython: the IO thread waits for a 5 ms slice after each sleep.
  assert.deepEqual(order(await printed()), ['short', 'long', 'io']);
  // The timeline: the long job runs in several slices (ready between
  // them), and the IO thread sleeps four times.
  const slices = await page.locator('g.lane[data-thread="long"] rect.seg.running').count();
  assert.ok(slices >= 2, `the long job ran in ${slices} slice(s)`);
  assert.equal(await page.locator('g.lane[data-thread="io"] rect.seg.sleeping').count(), 4);
  await screenshot(page, 'cpu-scheduling-threads');
  // Round robin: the IO thread runs soon after each sleep.
  await page.getByTestId('scheduler').selectOption('round-robin');
  await runAndWait(page);
  const rr = order(await printed());
  assert.ok(rr.indexOf('io') < rr.indexOf('long'), rr.join(', '));
  await page.close();
});

test('the start-cost lesson: a process costs many times what a thread does to start', { timeout: 120_000 }, async () => {
  const page = await openLesson(browser, 'start-cost');
  await runAndWait(page);
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  const [, thread] = printed.match(/a thread: +(\d+) us/) ?? [];
  const [, process] = printed.match(/a process: +(\d+) us/) ?? [];
  assert.ok(Number(thread) >= 50 && Number(process) >= 1000 && process / thread >= 10, printed);
  // Twenty processes, each in a lane of its own beside the main thread's.
  assert.ok(await page.locator('g.lane').count() >= 21);
  await page.close();
});

test('the page loads, runs and explores with no failed request and no console error', { timeout: 180_000 }, async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => problems.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} ${JSON.stringify(m.location())}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(new URL('#/lesson/lost-updates', BASE_URL).href);
  await page.waitForSelector('article.python-lesson[data-lesson="lost-updates"] .cm-editor', { timeout: 30_000 });
  await runAndWait(page);
  await page.getByTestId('explore').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 120_000 });
  // (A request the browser makes on its own, like /favicon.ico, may come
  // after the load.)
  await page.waitForTimeout(500);
  assert.deepEqual(problems, []);
  await page.close();
});
