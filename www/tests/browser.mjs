// Shared set-up of the browser tests: Debian's Chromium driven by
// playwright-core, with the flags this machine needs, and screenshots saved
// as test artifacts.

import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080/';
export const ARTIFACTS_DIR = process.env.ARTIFACTS_DIR ?? join(process.cwd(), 'test-results');
export const DIST_DIR = process.env.DIST_DIR ?? join(process.cwd(), '..', 'dist');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh headless Chromium with an empty profile. */
export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'interleave-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1366, height: 900 },
  });
  return context;
}

/** A new page that fails the test on uncaught page errors. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.errors = errors;
  await page.goto(url);
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  // A full-page capture stitches the page from top to bottom; sticky bars
  // would be painted in the middle of it, so they are pinned for the shot.
  await page.addStyleTag({ content: '.topbar, .toolbar { position: static !important; }' });
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Starts recording the longest gap between animation frames. */
export async function startFrameGapMeter(page) {
  await page.evaluate(() => new Promise((resolve) => {
    const meter = { max: 0, last: 0, frames: 0, stop: false };
    window.__frameGaps = meter;
    const tick = (t) => {
      if (meter.last) meter.max = Math.max(meter.max, t - meter.last);
      meter.last = t;
      meter.frames += 1;
      if (meter.frames === 2) resolve();
      if (!meter.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }));
}

export async function stopFrameGapMeter(page) {
  return page.evaluate(() => {
    window.__frameGaps.stop = true;
    return { max: window.__frameGaps.max, frames: window.__frameGaps.frames };
  });
}

/** Opens a lesson and waits for its editor. */
export async function openLesson(context, id) {
  const page = await openPage(context, new URL(`#/lesson/${id}`, BASE_URL).href);
  await page.waitForSelector(`article.python-lesson[data-lesson="${id}"] .cm-editor`, { timeout: 30_000 });
  return page;
}

/** Replaces the editor's text the way a learner would: select all, type. */
export async function typeProgram(page, text) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.locator('.cm-content').evaluate((el, t) => {
    // Typing character by character is slow and auto-indents; insert the
    // text as one edit through the editor's own input handling.
    el.focus();
    document.execCommand('insertText', false, t);
  }, text);
}

/** "You are the scheduler": clicks thread `name`'s button and waits until
 * the views answer (the panel's step count changes) or the run ends. */
export async function pickThread(page, name) {
  const before = await page.getByTestId('pick-panel').getAttribute('data-steps');
  await page.locator(`[data-testid=pick][data-thread="${name}"]`).click();
  await page.waitForFunction((b) => {
    const panel = document.querySelector('[data-testid=pick-panel]');
    return document.querySelector('article.python-lesson')?.dataset.state === 'done' || (panel && panel.dataset.steps !== b);
  }, before);
}
