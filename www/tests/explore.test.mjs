// The Explore panel, end to end in headless Chromium: the explorer runs on
// the page's worker pool, finds the deadlock of the deadlock lesson, lists
// the outcomes of a small race with their counts, draws how the schedules
// grow with the preemption bound, stops on Stop, and every listed schedule
// loads into the stepper and replays to what the panel said.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, screenshot, openLesson, openPage, typeProgram } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });



async function exploreAndWait(page, timeout = 120_000) {
  await page.getByTestId('explore').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout });
  return page.getByTestId('explore-results');
}

const COUNTER_2X2 = `import threading

counter = 0

def work():
    global counter
    for _ in range(2):
        value = counter
        counter = value + 1

t1 = threading.Thread(target=work)
t2 = threading.Thread(target=work)
t1.start(); t2.start()
t1.join(); t2.join()
print("counter =", counter)
`;

test('exploring the deadlock lesson finds the deadlock, and its schedule replays it in the stepper', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'two-lock-deadlock');
  const results = await exploreAndWait(page);
  assert.ok(Number(await results.getAttribute('data-deadlocks')) >= 1, 'a deadlock is listed');
  // The default bound of two preemptions cut the search, and nothing
  // else did: the search with no bound ran too, finished, and answers.
  assert.equal(await results.getAttribute('data-complete'), 'true');
  assert.match(await page.getByTestId('explore-whole').innerText(), /^The search within 2 preemptions \(the default bound\) was cut by the bound alone/);
  assert.match(await page.getByTestId('explore-summary').innerText(), /Complete: every state the program can reach was explored/);
  const bars = await page.getByTestId('growth-bar').evaluateAll((els) => els.map((e) => e.dataset.bound));
  assert.equal(bars.at(-1), 'none', bars.join(', '));
  assert.equal(bars.at(-2), '2', bars.join(', '));
  const deadlock = page.getByTestId('explore-deadlock').first();
  const text = await deadlock.innerText();
  for (const name of ['Thread-1', 'Thread-2']) assert.ok(text.includes(name), `the cycle names ${name}: ${text}`);
  assert.match(await page.getByTestId('explore-can-deadlock').innerText(), /^Yes/);
  const schedule = await deadlock.getAttribute('data-schedule');
  assert.match(schedule, /^\d+x\d+/);
  await screenshot(page, 'explore-deadlock');

  // Click-through: the run that follows is that schedule, opened at its
  // first event, and it ends in the same deadlock.
  await deadlock.getByTestId('explore-replay').click();
  await page.waitForSelector('article.python-lesson[data-state=done] [data-testid=outcome]', { timeout: 60_000 });
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'deadlock');
  assert.equal(await page.getByTestId('schedule').innerText(), schedule);
  assert.match(await page.getByTestId('event').innerText(), /^Event 1 of \d+/, 'the stepper starts at the first event');
  const report = await page.getByTestId('deadlock-report').innerText();
  assert.equal(report.split('\n')[0], text.split(' · ')[0].trim(), 'the replay reports the cycle the explorer listed');
  await page.getByTestId('next-event').click();
  assert.match(await page.getByTestId('event').innerText(), /^Event 2 of/);
  await screenshot(page, 'explore-deadlock-replayed');

  // PCT sampling from the same panel finds it too, and says it sampled.
  await page.getByTestId('explore-mode').selectOption('pct200');
  await page.getByTestId('explore-again').click();
  await page.waitForFunction(() => /PCT|sampling/.test(document.querySelector('[data-testid=explore-summary]')?.innerText ?? '')
    && document.querySelector('[data-testid=explore-panel]')?.dataset.state === 'done', null, { timeout: 120_000 });
  const sampled = page.getByTestId('explore-results');
  assert.equal(await sampled.getAttribute('data-executions'), '200');
  assert.equal(await sampled.getAttribute('data-complete'), 'false');
  assert.ok(Number(await sampled.getAttribute('data-deadlocks')) >= 1);
  await page.close();
});

test('a small race: exactly the outcomes {2, 3, 4}, with counts, growth by bound, and replays', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'lost-updates');
  await typeProgram(page, COUNTER_2X2);
  // No bound: the state graph, each state explored once and every
  // schedule counted (tens of billions of them).
  await page.getByTestId('explore').click();
  await page.getByTestId('explore-panel').waitFor();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 120_000 });
  // The first search ran at the default bound; now search without one.
  await page.getByTestId('explore-bound').fill('6');
  assert.equal(await page.getByTestId('explore-bound-value').innerText(), 'none');
  await page.getByTestId('explore-again').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 120_000 });
  const results = page.getByTestId('explore-results');
  assert.equal(await results.getAttribute('data-complete'), 'true');
  const outcomes = await page.getByTestId('explore-outcome').evaluateAll((els) =>
    els.map((e) => ({ stdout: e.dataset.stdout, count: Number(e.dataset.count), schedule: e.dataset.schedule })));
  assert.deepEqual(outcomes.map((o) => o.stdout).sort(), ['counter = 2\n', 'counter = 3\n', 'counter = 4\n']);
  const total = outcomes.reduce((a, o) => a + o.count, 0);
  assert.equal(String(total), await results.getAttribute('data-executions'));
  // Distinct states (by fingerprint): schedules that differ only in the
  // order of commuting steps meet in one state, so there are fewer of them
  // than scheduling points, and at least one end state per outcome.
  const distinct = Number(await results.getAttribute('data-distinct-states'));
  const points = Number(await results.getAttribute('data-states'));
  assert.ok(distinct > outcomes.length && distinct < points, `${distinct} distinct states of ${points} points`);
  const summary = await page.getByTestId('explore-summary').innerText();
  assert.match(summary, new RegExp(`in ${Number(total).toLocaleString('en-US')} schedules`));
  assert.match(summary, new RegExp(`${distinct.toLocaleString('en-US')} distinct states, each explored once`));
  // Every schedule is counted, without being run: many more than states.
  assert.ok(total > 2 * distinct, `every schedule counted: ${total} schedules, ${distinct} states`);
  assert.match(await page.getByTestId('explore-same').innerText(), /^No/);
  assert.match(await page.getByTestId('explore-can-deadlock').innerText(), /^No: no schedule deadlocks/);

  // The growth chart: bounds 0..3 and then none, non-decreasing.
  const growth = await page.getByTestId('growth-bar').evaluateAll((els) =>
    els.map((e) => ({ bound: e.dataset.bound, executions: Number(e.dataset.executions), unit: e.dataset.unit, text: e.innerText })));
  assert.deepEqual(growth.map((g) => g.bound), ['0', '1', '2', '3', 'none']);
  // Every bound's search counts its schedules through the state graph,
  // bounded ones too (a state there carries the preemptions used).
  assert.deepEqual(growth.map((g) => g.unit), ['counted', 'counted', 'counted', 'counted', 'counted']);
  assert.match(growth[0].text, /counted/);
  // Without a preemption each thread runs until it blocks or ends: main
  // starts both and waits for t1; then t2 runs whole and then t1, or t1
  // runs whole and then t2 or main (which waits again): three schedules.
  assert.equal(growth[0].executions, 3, JSON.stringify(growth));
  for (let i = 1; i < growth.length; i++) assert.ok(growth[i].executions > growth[i - 1].executions, JSON.stringify(growth));
  assert.equal(growth.at(-1).executions, total);

  // "Can it print this?"
  await page.getByTestId('explore-target').fill('counter = 2');
  assert.match(await page.getByTestId('explore-target-answer').innerText(), /Yes: [\d,]+ schedules? print/);
  // Watching a global makes its final value part of each outcome.
  await page.getByTestId('explore-watch').fill('counter');
  await page.getByTestId('explore-again').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-outcome]')?.dataset.globals?.startsWith('counter = '),
    null, { timeout: 120_000 });
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 120_000 });
  const globals = await page.getByTestId('explore-outcome').evaluateAll((els) => els.map((e) => e.dataset.globals).sort());
  assert.deepEqual(globals, ['counter = 2', 'counter = 3', 'counter = 4']);
  await screenshot(page, 'explore-outcomes');

  // Every outcome's schedule replays to that outcome.
  for (const o of outcomes) {
    await page.locator(`[data-testid=explore-outcome][data-schedule="${o.schedule}"] [data-testid=explore-replay]`).click();
    await page.waitForFunction((s) => document.querySelector('[data-testid=schedule]')?.textContent === s
      && document.querySelector('article.python-lesson')?.dataset.state === 'done', o.schedule, { timeout: 60_000 });
    // The console shows the run as of the cursor; step to the end first.
    await page.getByTestId('scrub').fill(String(await page.getByTestId('scrub').getAttribute('max')));
    const out = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
    assert.equal(out, o.stdout, `schedule ${o.schedule} replays to ${JSON.stringify(o.stdout)}`);
  }
  await page.close();
});

test('Stop ends a long exploration at once and keeps what it found', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'lost-updates');
  // The lesson's 1000-round counter, even at the default bound of two
  // preemptions, has far too many states to finish soon with the largest
  // budget.
  await page.getByTestId('explore').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 120_000 });
  // Its lost updates end in well over a hundred ways: the histogram lists
  // the most frequent first, and folds the rest away.
  const total = Number(await page.getByTestId('explore-results').getAttribute('data-outcomes'));
  assert.ok(total > 100, `${total} outcomes`);
  const shown = await page.locator('[data-testid=explore-outcomes] > [data-testid=explore-outcome]').evaluateAll((els) => els.map((e) => Number(e.dataset.count)));
  assert.equal(shown.length, 12);
  for (let i = 1; i < shown.length; i++) assert.ok(shown[i] <= shown[i - 1], `most frequent first: ${shown}`);
  // A share too small for one decimal is not passed off as none.
  const schedules = Number(await page.getByTestId('explore-results').getAttribute('data-executions'));
  assert.ok(shown.at(-1) * 2000 < schedules, `${shown.at(-1)} of ${schedules}`);
  assert.match(await page.locator('[data-testid=explore-outcomes] > [data-testid=explore-outcome] .meta').last().innerText(), /\(<0\.1%\)$/);
  const more = page.getByTestId('explore-more-outcomes');
  assert.equal(await more.locator('summary').innerText(), `The other ${total - 12} outcomes`);
  assert.equal(await page.getByTestId('explore-outcome').count(), total, 'every outcome is listed');
  assert.equal(await more.locator('[data-testid=explore-outcome]').first().isVisible(), false);
  await more.locator('summary').click();
  assert.equal(await more.locator('[data-testid=explore-outcome]').first().isVisible(), true);
  // The exhaustive search's budgets are in states, each offered once.
  const budgets = await page.getByTestId('explore-budget').locator('option').allInnerTexts();
  assert.equal(new Set(budgets).size, budgets.length, `each budget once: ${budgets}`);
  assert.ok(budgets.every((b) => / states$/.test(b)), budgets.join(', '));
  await page.getByTestId('explore-budget').selectOption('1000000');
  await page.getByTestId('explore-again').click();
  await page.waitForSelector('[data-testid=explore-progress]', { timeout: 30_000 });
  await page.waitForFunction(() => /[1-9][\d,]* transitions/.test(document.querySelector('[data-testid=explore-progress]')?.textContent ?? ''),
    null, { timeout: 60_000 });
  const t0 = Date.now();
  await page.getByTestId('stop').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 30_000 });
  const ms = Date.now() - t0;
  console.log(`explore stopped after ${ms} ms`);
  assert.ok(ms < 5_000, `stopped in ${ms} ms`);
  const summary = await page.getByTestId('explore-summary').innerText();
  assert.match(summary, /Incomplete/);
  assert.match(summary, /you stopped it/);
  await page.close();
});

function philosophers(forks) {
  return `import threading
forks = [threading.Lock() for _ in range(${forks})]
def dine(first, second):
    with forks[first]:
        with forks[second]:
            pass
ps = [threading.Thread(target=dine, args=(i, (i + 1) % ${forks})) for i in range(${forks})]
for p in ps:
    p.start()
for p in ps:
    p.join()
print('all ate')
`;
}

test('the answer comes before the chart, and Stop during the chart keeps it', { timeout: 240_000 }, async () => {
  // Seven naive philosophers with no bound: the answer (the state graph
  // without a bound) takes a few seconds, while the chart's bound 3 alone
  // takes several times that (its nodes carry the preemptions used and
  // the running thread). The results must not wait for the chart.
  const page = await openLesson(browser, 'lost-updates');
  await typeProgram(page, philosophers(7));
  await exploreAndWait(page);
  await page.getByTestId('explore-bound').fill('6');
  await page.getByTestId('explore-budget').selectOption('1000000');
  await page.getByTestId('explore-again').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=charting]', { timeout: 120_000 });
  const results = page.getByTestId('explore-results');
  assert.equal(await results.getAttribute('data-complete'), 'true');
  assert.equal(await results.getAttribute('data-deadlocks'), '1');
  const summary = await page.getByTestId('explore-summary').innerText();
  assert.match(summary, /^2 outcomes in over 1\.8 × 10¹⁹ schedules/);
  assert.match(await page.getByTestId('explore-chart-progress').innerText(), /^Counting the schedules within \d preemptions? for the chart/);
  // The results can be used while the chart is counted: Explore starts
  // another search, and a deadlock's schedule can be replayed.
  assert.equal(await page.getByTestId('explore').isDisabled(), false);
  assert.equal(await page.getByTestId('explore-again').isDisabled(), false);
  await screenshot(page, 'explore-charting');

  // Stop ends the chart at once; the answer stays as it was.
  const t0 = Date.now();
  await page.getByTestId('stop').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 30_000 });
  const ms = Date.now() - t0;
  assert.ok(ms < 5_000, `the chart stopped in ${ms} ms`);
  assert.equal(await page.getByTestId('explore-summary').innerText(), summary);
  assert.equal(await results.getAttribute('data-complete'), 'true');
  const bounds = await page.getByTestId('growth-bar').evaluateAll((els) => els.map((e) => e.dataset.bound));
  assert.equal(bounds.at(-1), 'none');
  assert.deepEqual(bounds.slice(0, -1), ['0', '1', '2', '3'].slice(0, bounds.length - 1), bounds.join(', '));
  assert.ok(bounds.length < 5, `the chart was cut: ${bounds}`);
  assert.equal(await page.getByTestId('explore-chart-progress').count(), 0);
  await page.close();
});

test('at the default bound, a search the bound alone cut is followed by the whole search, which says when it did not fit', { timeout: 180_000 }, async () => {
  // Twenty increments each: within two preemptions, about 70,000 states;
  // with no bound, more than the default budget of 200,000.
  const page = await openLesson(browser, 'lost-updates');
  await typeProgram(page, COUNTER_2X2.replace('range(2)', 'range(20)'));
  const results = await exploreAndWait(page);
  assert.equal(await results.getAttribute('data-complete'), 'false');
  const summary = await page.getByTestId('explore-summary').innerText();
  assert.match(summary, /Incomplete, limited by the preemption bound \(2\)/);
  assert.match(await page.getByTestId('explore-whole').innerText(),
    /^The same search with no bound ran too, and did not finish within the budget of 200,000 states: this answer is for the schedules within the bound\.$/);
  // The answer is the bounded search's, with its outcomes.
  const outcomes = await page.getByTestId('explore-outcome').evaluateAll((els) => els.map((e) => e.dataset.stdout));
  assert.ok(outcomes.includes('counter = 40\n'), outcomes.join(''));
  // A bound moved to by hand is the question asked: no whole search.
  await page.getByTestId('explore-bound').fill('1');
  await page.getByTestId('explore-again').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 120_000 });
  assert.equal(await page.getByTestId('explore-whole').count(), 0);
  assert.match(await page.getByTestId('explore-summary').innerText(), /Incomplete, limited by the preemption bound \(1\)/);
  await page.close();
});

test('a Run during a search ends it, and the panel shows what the search found', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'lost-updates');
  await exploreAndWait(page);
  await page.getByTestId('explore-budget').selectOption('1000000');
  await page.getByTestId('explore-again').click();
  await page.waitForFunction(() => /[1-9][\d,]* transitions/.test(document.querySelector('[data-testid=explore-progress]')?.textContent ?? ''),
    null, { timeout: 60_000 });
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  // Not left "running" with Explore disabled (as it once was).
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 10_000 });
  assert.match(await page.getByTestId('explore-summary').innerText(), /Incomplete/);
  assert.equal(await page.getByTestId('explore').isDisabled(), false);
  assert.equal(await page.getByTestId('stop').isDisabled(), true);
  await page.close();
});

test('a long CPU-bound lesson is explored to its end, not cut by the step budget', { timeout: 180_000 }, async () => {
  // The GIL lesson's program runs 2.8 million steps in every schedule;
  // the explorer fits its step budget to it instead of cutting them all.
  const page = await openLesson(browser, 'gil');
  const results = await exploreAndWait(page);
  const outcomes = await page.getByTestId('explore-outcome').evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(outcomes, ['finished']);
  assert.doesNotMatch(await page.getByTestId('explore-summary').innerText(), /step budget/);
  assert.match(await page.getByTestId('explore-fitted').innerText(), /^This program is long: each schedule was given up to [\d,]+ steps, four times its plain run, instead of 200,000\.$/);
  assert.equal(await results.getAttribute('data-deadlocks'), '0');
  await page.close();
});

test('schedules replay only on the program explored: after an edit the panel says so', { timeout: 180_000 }, async () => {
  const page = await openLesson(browser, 'lost-updates');
  await typeProgram(page, COUNTER_2X2);
  await exploreAndWait(page);
  const schedule = await page.getByTestId('explore-outcome').first().getAttribute('data-schedule');
  // The learner edits the program: the same schedule would now choose
  // among other steps.
  await typeProgram(page, COUNTER_2X2.replace('range(2)', 'range(3)'));
  await page.locator(`[data-testid=explore-outcome][data-schedule="${schedule}"] [data-testid=explore-replay]`).click();
  await page.getByTestId('explore-stale').waitFor();
  assert.match(await page.getByTestId('explore-stale').innerText(), /not the one explored/);
  assert.equal(await page.locator('article.python-lesson').getAttribute('data-state'), 'idle', 'nothing was run');
  // Undone, the edit no longer stands in the way.
  await typeProgram(page, COUNTER_2X2);
  await page.locator(`[data-testid=explore-outcome][data-schedule="${schedule}"] [data-testid=explore-replay]`).click();
  await page.waitForFunction((s) => document.querySelector('[data-testid=schedule]')?.textContent === s
    && document.querySelector('article.python-lesson')?.dataset.state === 'done', schedule, { timeout: 60_000 });
  assert.equal(await page.getByTestId('explore-stale').count(), 0);
  await typeProgram(page, COUNTER_2X2.replace('range(2)', 'range(3)'));
  // Explore again: the panel is of the program as it is, and replays work.
  await page.getByTestId('explore-again').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done]', { timeout: 120_000 });
  assert.equal(await page.getByTestId('explore-stale').count(), 0);
  const fresh = await page.getByTestId('explore-outcome').first().getAttribute('data-schedule');
  await page.getByTestId('explore-replay').first().click();
  await page.waitForFunction((s) => document.querySelector('[data-testid=schedule]')?.textContent === s
    && document.querySelector('article.python-lesson')?.dataset.state === 'done', fresh, { timeout: 60_000 });
  await page.close();
});

test('a condition at the end: Yes with a replayable schedule, No when impossible, and a bad expression is refused', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'lost-updates');
  await typeProgram(page, COUNTER_2X2);
  await exploreAndWait(page);
  assert.equal(await page.getByTestId('explore-condition-answer').count(), 0, 'no condition, no answer row');

  // A bad expression: the message stands next to the field, Explore waits.
  await page.getByTestId('explore-condition').fill('counter <');
  assert.equal(await page.getByTestId('explore-condition-error').innerText(), 'SyntaxError: invalid syntax (line 1, column 10)');
  assert.ok(await page.getByTestId('explore-again').isDisabled(), 'Explore is disabled while the condition is bad');

  // Can the counter end below 4? Yes, through lost updates, in a search
  // without a bound (complete).
  await page.getByTestId('explore-condition').fill('counter < 4');
  assert.equal(await page.getByTestId('explore-condition-error').count(), 0);
  await page.getByTestId('explore-bound').fill('6');
  await page.getByTestId('explore-again').click();
  await page.waitForSelector('[data-testid=explore-panel][data-state=done] [data-testid=explore-condition-answer]', { timeout: 120_000 });
  const results = page.getByTestId('explore-results');
  assert.equal(await results.getAttribute('data-complete'), 'true');
  const answer = page.getByTestId('explore-condition-answer');
  assert.equal(await page.getByTestId('explore-condition-expr').innerText(), 'counter < 4');
  assert.equal(await answer.getAttribute('data-verdict'), 'yes');
  const held = Number(await answer.getAttribute('data-held'));
  // It held exactly in the schedules that printed less than 4.
  const outcomes = await page.getByTestId('explore-outcome').evaluateAll((els) =>
    els.map((e) => ({ stdout: e.dataset.stdout, count: Number(e.dataset.count) })));
  const below = outcomes.filter((o) => o.stdout !== 'counter = 4\n').reduce((a, o) => a + o.count, 0);
  assert.ok(held > 0);
  assert.equal(held, below, JSON.stringify(outcomes));
  const executions = Number(await results.getAttribute('data-executions'));
  assert.equal(Number(await answer.getAttribute('data-failed')), executions - held);
  assert.match(await answer.innerText(), /^Yes: [\d,]+ of [\d,]+ schedules end with it true\./);
  await screenshot(page, 'explore-condition-yes');

  // Its Replay loads a schedule where it holds into the stepper.
  const schedule = await answer.getAttribute('data-schedule');
  assert.match(schedule, /^\d+x\d+/);
  await answer.getByTestId('explore-replay').click();
  await page.waitForFunction((s) => document.querySelector('[data-testid=schedule]')?.textContent === s
    && document.querySelector('article.python-lesson')?.dataset.state === 'done', schedule, { timeout: 60_000 });
  await page.getByTestId('scrub').fill(String(await page.getByTestId('scrub').getAttribute('max')));
  const out = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.match(out, /^counter = [0-3]\n$/, `the replay loses an update: ${out}`);

  // Never above 4: No, and the search was complete, so it is a proof.
  await page.getByTestId('explore-condition').fill('counter > 4');
  await page.getByTestId('explore-again').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-condition-expr]')?.textContent === 'counter > 4'
    && document.querySelector('[data-testid=explore-panel]')?.dataset.state === 'done', null, { timeout: 120_000 });
  assert.equal(await answer.getAttribute('data-verdict'), 'no');
  assert.match(await answer.innerText(), /^No: in all schedules it is not true at the end \(the search was complete\)/);

  // At bound 0 nothing preempts, so no update is lost; but the search is
  // incomplete, and the row says that this is no proof.
  await page.getByTestId('explore-condition').fill('counter < 4');
  await page.getByTestId('explore-bound').fill('0');
  await page.getByTestId('explore-again').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-condition-expr]')?.textContent === 'counter < 4'
    && document.querySelector('[data-testid=explore-panel]')?.dataset.state === 'done', null, { timeout: 120_000 });
  assert.equal(await answer.getAttribute('data-verdict'), 'not found');
  assert.match(await answer.innerText(), /^Not found: in every explored schedule it is not true at the end, but the search was incomplete/);

  // An exception is the condition's value, shown with a schedule.
  await page.getByTestId('explore-condition').fill('len(results) > 0');
  await page.getByTestId('explore-again').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=explore-condition-expr]')?.textContent === 'len(results) > 0'
    && document.querySelector('[data-testid=explore-panel]')?.dataset.state === 'done', null, { timeout: 120_000 });
  assert.match(await page.getByTestId('explore-condition-raised').innerText(), /raised NameError: name 'results' is not defined/);
  await screenshot(page, 'explore-condition-raised');
  assert.deepEqual(page.errors, [], 'no page errors');
  await page.close();
});

test('schedule counts beyond 64 bits read as a floor, never as an exact figure', { timeout: 180_000 }, async () => {
  // Six naive philosophers with no bound have more schedules than 2^64:
  // the state graph's sums stop at 2^64 - 1, which the panel must not
  // print as 18,446,744,073,709,551,615 (nor take a share of).
  const program = philosophers(6);
  const page = await openLesson(browser, 'lost-updates');
  await typeProgram(page, program);
  await exploreAndWait(page);
  await page.getByTestId('explore-bound').fill('6');
  await page.getByTestId('explore-again').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=growth-bar][data-bound=none]')
    && document.querySelector('[data-testid=explore-panel]')?.dataset.state === 'done', null, { timeout: 120_000 });
  const results = page.getByTestId('explore-results');
  assert.equal(await results.getAttribute('data-complete'), 'true');
  const panel = await page.getByTestId('explore-panel').innerText();
  assert.ok(!panel.includes('18,446,744,073,709,551,615'), panel);
  assert.match(await page.getByTestId('explore-summary').innerText(), /^2 outcomes in over 1\.8 × 10¹⁹ schedules/);
  assert.match(await page.getByTestId('explore-can-deadlock').innerText(), /^Yes: [\d,]+ of over 1\.8 × 10¹⁹ schedules deadlock\.$/);
  const metas = await page.getByTestId('explore-outcome').evaluateAll((els) => els.map((e) => e.querySelector('.meta').innerText));
  assert.equal(metas.length, 2);
  for (const m of metas) {
    assert.match(m, /of over 1\.8 × 10¹⁹/, m);
    assert.ok(!m.includes('%'), `no share of a floor: ${m}`);
  }
  assert.match(await page.locator('[data-testid=growth-bar][data-bound=none] .count').innerText(), /^over 1\.8 × 10¹⁹ counted$/);
  await page.close();
});

test('the ticket race on a real file: Run writes and reads tickets.json, and Explore finds both buyers getting the one ticket', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'lost-updates');
  const program = page.getByTestId('program');
  const index = await program.locator('option', { hasText: 'ticket_race_file.py' }).getAttribute('value');
  await program.selectOption(index);
  await page.waitForFunction(() => document.querySelector('.cm-content')?.textContent.includes('tickets.json'));
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.match(printed, /1 ticket existed, 2 were sold, 0 left/, printed);
  // The resources panel shows the file as the run left it.
  const files = await page.getByTestId('files').innerText();
  assert.match(files, /tickets\.json\s+'\{"count": 0\}'/, files);
  const results = await exploreAndWait(page, 200_000);
  await screenshot(page, 'explore-ticket-file');
  assert.equal(await results.getAttribute('data-complete'), 'true', await page.getByTestId('explore-panel').innerText());
  const outcomes = await page.getByTestId('explore-outcome').allInnerTexts();
  assert.ok(outcomes.length >= 1);
  for (const text of outcomes) assert.match(text, /1 ticket existed, 2 were sold, 0 left/, text);
  assert.equal(await page.getByTestId('explore-error').count(), 0);
  await screenshot(page, 'explore-ticket-file');
});

test('the coroutines lesson: gather overlaps the naps on one thread, and Explore finds its one schedule', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'asyncio-event-loop');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'finished');
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.match(printed, /one after the other: 3\.0 s/, printed);
  assert.match(printed, /\[2, 3, 5\] gather: 5\.0 s/, printed);
  assert.match(printed, /\['x0', 'x1', 'x2', 'y0', 'z0', 'z1', 'y1', 'y2'\]/, printed);
  await screenshot(page, 'coroutines-run');
  const results = await exploreAndWait(page);
  assert.equal(await results.getAttribute('data-complete'), 'true', await page.getByTestId('explore-panel').innerText());
  const outcomes = await page.getByTestId('explore-outcome').allInnerTexts();
  assert.equal(outcomes.length, 1, outcomes.join('\n---\n'));
  assert.equal(await page.getByTestId('explore-error').count(), 0);
  await screenshot(page, 'coroutines-explore');
});

test('the gevent lesson: spawned greenlets overlap their sleeps, one lane runs at a time, and Explore finds one outcome', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'greenlets-and-gevent');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'finished');
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.match(printed, /egon eat 1\negon play 1\negon play 2\negon eat 2\nmain 2\.0/, printed);
  assert.match(printed, /\[20, 30, 50\] 5\.0 True/, printed);
  const lanes = await page.locator('g.lane').evaluateAll((els) => els.map((e) => e.dataset.thread));
  assert.ok(lanes.includes('Hub'), lanes.join(', '));
  assert.ok(lanes.includes('Greenlet (eat)'), lanes.join(', '));
  await screenshot(page, 'gevent-run');
  const results = await exploreAndWait(page, 200_000);
  assert.equal(await results.getAttribute('data-complete'), 'true', await page.getByTestId('explore-panel').innerText());
  assert.equal((await page.getByTestId('explore-outcome').allInnerTexts()).length, 1);
  await screenshot(page, 'gevent-explore');
});

test('the gevent queues lesson: boss and workers print what gevent prints, and Explore is complete with one outcome', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'gevent-queues-and-pools');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.equal(printed, readFileSync(new URL('../../crates/engine/tests/corpus/coroutines/gevent_queue_workers.out', import.meta.url), 'utf8'));
  const results = await exploreAndWait(page, 200_000);
  assert.equal(await results.getAttribute('data-complete'), 'true', await page.getByTestId('explore-panel').innerText());
  assert.equal((await page.getByTestId('explore-outcome').allInnerTexts()).length, 1);
  await screenshot(page, 'gevent-queues-explore');
  await page.close();
});

test('the processes lesson: a fork runs in a lane of its own, the child changes only its copy, and Explore finds one outcome', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'fork-and-memory');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'finished');
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.match(printed, /child: balance = 150\n/, printed);
  assert.match(printed, /it exited normally: True with code 7\nparent: balance = 100\n/, printed);
  const lanes = await page.locator('g.lane').evaluateAll((els) => els.map((e) => e.dataset.thread));
  assert.ok(lanes.includes('MainThread (pid 4243)'), lanes.join(', '));
  await screenshot(page, 'processes-run');
  const results = await exploreAndWait(page, 200_000);
  assert.equal(await results.getAttribute('data-complete'), 'true', await page.getByTestId('explore-panel').innerText());
  assert.equal((await page.getByTestId('explore-outcome').allInnerTexts()).length, 1);
});

test('the sharing lesson: two processes lose an update on a shared Value without its lock, and Explore lists both totals', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'sharing-between-processes');
  const source = (await page.locator('.cm-content').innerText()).replace('range(3)', 'range(2)').replace('counter, 50', 'counter, 1');
  await typeProgram(page, source);
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  const lanes = await page.locator('g.lane').evaluateAll((els) => els.map((e) => e.dataset.thread));
  assert.ok(lanes.includes('Process-1 (pid 4243)') && lanes.includes('Process-2 (pid 4244)'), lanes.join(', '));
  const results = await exploreAndWait(page, 200_000);
  assert.equal(await results.getAttribute('data-complete'), 'true', await page.getByTestId('explore-panel').innerText());
  const outcomes = await page.getByTestId('explore-outcome').evaluateAll((els) => els.map((e) => e.dataset.stdout).sort());
  assert.deepEqual(outcomes, ['counter: 1 (150 without lost updates)\n', 'counter: 2 (150 without lost updates)\n']);
  await screenshot(page, 'processes-explore');
});

test('the blocking IO lesson: a one-at-a-time server keeps client B waiting, and an echo client that never shuts down its side deadlocks in every schedule', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'blocking-io');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'finished');
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.match(printed, /B connected and sent; has B an answer yet\? False\nmain: A may leave now\nB got b'B'\n/, printed);
  assert.match(printed, /server log: \['served a', 'closed', 'served b', 'closed'\]/, printed);
  const lanes = await page.locator('g.lane').evaluateAll((els) => els.map((e) => e.dataset.thread));
  assert.ok(lanes.includes('Thread-3 (client_b)'), lanes.join(', '));
  await screenshot(page, 'sockets-run');
  // The echo client without `shutdown(SHUT_WR)`: the server waits for
  // more bytes, the client for the end of the server's.
  const echo = `import socket, threading
listener = socket.create_server(("127.0.0.1", 50101))
def serve():
    conn, addr = listener.accept()
    while conn.recv(1024):
        conn.sendall(b"ok")
    conn.close()
server = threading.Thread(target=serve)
server.start()
client = socket.create_connection(("127.0.0.1", 50101))
client.sendall(b"hello")
print(client.recv(1024))
print(client.recv(1024))
`;
  await typeProgram(page, echo);
  const results = await exploreAndWait(page, 200_000);
  assert.equal(await results.getAttribute('data-complete'), 'true', await page.getByTestId('explore-panel').innerText());
  assert.equal(await results.getAttribute('data-deadlocks'), '1');
  assert.match(await page.getByTestId('explore-can-deadlock').innerText(), /^Yes/);
  const text = await page.getByTestId('explore-deadlock').first().innerText();
  assert.match(text, /socket fd \d/, text);
  await screenshot(page, 'sockets-explore');
});

test('the interactive client reads the Input box: edited lines give another run, and Explore, its replays and share links keep the input', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'blocking-io');
  // The lesson's first program reads nothing: the box stays closed.
  assert.equal(await page.getByTestId('stdin-box').evaluate((d) => d.open), false);
  await page.getByTestId('program').selectOption({ label: 'input_client.py' });
  // This one comes with its input (the corpus's input_client.stdin).
  assert.equal(await page.getByTestId('stdin-box').evaluate((d) => d.open), true);
  assert.equal(await page.getByTestId('stdin').inputValue(), 'hello\n\nhow are you\nquit\n');
  const printed = async () => (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  assert.equal(await printed(), ">>: 'hello' -> 'HELLO'\n>>: >>: 'how are you' -> 'HOW ARE YOU'\n>>: client: bye\n");
  await screenshot(page, 'stdin-run');
  // The learner types other lines.
  await page.getByTestId('stdin').fill('ping\npong\n');
  assert.match(await page.getByTestId('stdin-box').locator('summary').innerText(), /2 lines/);
  await page.getByTestId('run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=console]')?.textContent.includes('PONG')
    && document.querySelector('article.python-lesson')?.dataset.state === 'done', null, { timeout: 60_000 });
  assert.equal(await printed(), ">>: 'ping' -> 'PING'\n>>: 'pong' -> 'PONG'\n>>: (end of input)\nclient: bye\n");
  // Explore reads the same input in every schedule.
  const results = await exploreAndWait(page, 200_000);
  assert.equal(await results.getAttribute('data-complete'), 'true');
  const outcomes = await page.getByTestId('explore-outcome').evaluateAll((els) => els.map((e) => e.dataset.stdout));
  assert.deepEqual(outcomes, [">>: 'ping' -> 'PING'\n>>: 'pong' -> 'PONG'\n>>: (end of input)\nclient: bye\n"]);
  // Its schedule replays on the input explored, even after the box changed
  // (which then shows that input again).
  await page.getByTestId('stdin').fill('');
  const schedule = await page.getByTestId('explore-outcome').first().getAttribute('data-schedule');
  await page.getByTestId('explore-replay').first().click();
  await page.waitForFunction((s) => document.querySelector('[data-testid=schedule]')?.textContent === s
    && document.querySelector('article.python-lesson')?.dataset.state === 'done', schedule, { timeout: 60_000 });
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'finished');
  assert.equal(await page.getByTestId('stdin').inputValue(), 'ping\npong\n');
  // A share link carries the input.
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  const shared = await openPage(browser, link);
  await shared.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  assert.equal((await shared.getByTestId('console').locator('.stdout').allInnerTexts()).join(''), outcomes[0]);
  assert.equal(await shared.getByTestId('stdin').inputValue(), 'ping\npong\n');
  assert.deepEqual(shared.errors, []);
  await shared.close();
  // Empty, the input ends at once.
  await page.getByTestId('stdin').fill('');
  assert.match(await page.getByTestId('stdin-box').locator('summary').innerText(), /empty: input\(\) raises EOFError/);
  await page.getByTestId('run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=console]')?.textContent.includes('(end of input)')
    && !document.querySelector('[data-testid=console]')?.textContent.includes('PONG')
    && document.querySelector('article.python-lesson')?.dataset.state === 'done', null, { timeout: 60_000 });
  assert.equal(await printed(), '>>: (end of input)\nclient: bye\n');
  await page.close();
});

test('the select lesson: one thread serves three clients through select, whose wait covers every socket', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'nonblocking-and-select');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'finished');
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.match(printed, /server: served 3 connections, now none is open\n/, printed);
  assert.match(printed, /clients got: \['BYE FROM ANN', 'BYE FROM BOB', 'BYE FROM CY', 'HI FROM ANN', 'HI FROM BOB', 'HI FROM CY'\]/, printed);
  const labels = await page.locator('g.lane title').allTextContents();
  assert.ok(labels.some((l) => /in select over listener 127\.0\.0\.1:50105, connection 127\.0\.0\.1:50105 → /.test(l)), labels.slice(0, 20).join(' | '));
  // The resources list every socket the run made, closed by the end.
  const resources = await page.getByTestId('resources').innerText();
  assert.match(resources, /listener 127\.0\.0\.1:50105\s+socket\s+closed/, resources);
  await screenshot(page, 'select-run');
});

test('the event-loop lesson: an asyncio server and its clients share one thread, and Explore finds the one schedule there is', { timeout: 240_000 }, async () => {
  const page = await openLesson(browser, 'event-loop-servers');
  await page.getByTestId('run').click();
  await page.waitForSelector('article.python-lesson[data-state=done]', { timeout: 60_000 });
  assert.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'finished');
  const printed = (await page.getByTestId('console').locator('.stdout').allInnerTexts()).join('');
  assert.match(printed, /^serving on \('127\.0\.0\.1', 50130\)\nserver: client done\nserver: client done\nserver: client done\n\['HI FROM ANN', 'BYE FROM ANN'\]\n/, printed);
  assert.match(printed, /after close: \[Errno 111\] Connect call failed \('127\.0\.0\.1', 50130\)\n$/, printed);
  const lanes = await page.locator('g.lane').evaluateAll((els) => els.map((e) => e.dataset.thread));
  assert.deepEqual(lanes, ['MainThread']);
  const results = await exploreAndWait(page, 200_000);
  assert.equal(await results.getAttribute('data-complete'), 'true', await page.getByTestId('explore-panel').innerText());
  assert.equal((await page.getByTestId('explore-outcome').allInnerTexts()).length, 1);
  await screenshot(page, 'event-loop-run');
});
