import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumExecutable } from '../test/chromium-path';
import { startPreviewHost, type RunningPreviewHost } from '../test/e2e/preview-host';
import { measure, progress, quantile } from './measure';

export interface BrowserMetrics {
  keypress_to_paint_ms_p95: number;
  cold_start_ms: number;
  cold_start_vs_blank_ratio: number;
}

const launchChromium = () => chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
const viewport = { width: 1100, height: 900 };

/** The built renderer in Chromium through the built preview host (dist/main/preview.js), as a worker meets it. */
export async function measureBrowser(): Promise<BrowserMetrics> {
  progress('keypad tap to painted digit, in Chromium');
  const keypress = await measureKeypressToPaint();
  progress('cold start: preview host and Chromium until the keypad is interactive, against a blank local page');
  const cold = await measureColdStart();
  return { keypress_to_paint_ms_p95: keypress, ...cold };
}

declare global {
  interface Window {
    /** Milliseconds from each digit tap to the frame that shows it, recorded by the page itself. */
    tapToPaintMs?: number[];
  }
}

/**
 * Runs in the page: for every tap on a keypad digit, the time from the click event (its
 * timeStamp, when the browser took the input) to the first animation frame in which the
 * number field holds the new digit, plus the message posted from that frame's
 * requestAnimationFrame, which runs only once that frame has been painted.
 */
function installPaintProbe(): void {
  window.tapToPaintMs = [];
  const field = document.querySelector<HTMLInputElement>('input[type="tel"]');
  if (!field) throw new Error('no number field on the page');
  document.addEventListener(
    'click',
    (event) => {
      const key = (event.target as Element | null)?.closest('button');
      if (!key || !/^[0-9]$/.test(key.textContent ?? '') || !key.closest('[role="group"]')) return;
      const before = field.value;
      const tappedAt = event.timeStamp;
      let frames = 0;
      const onFrame = () => {
        frames += 1;
        if (field.value === before && frames < 120) {
          requestAnimationFrame(onFrame);
          return;
        }
        const afterPaint = new MessageChannel();
        afterPaint.port1.onmessage = () => window.tapToPaintMs!.push(performance.now() - tappedAt);
        afterPaint.port2.postMessage(null);
      };
      requestAnimationFrame(onFrame);
    },
    true,
  );
}

async function measureKeypressToPaint(): Promise<number> {
  const host = await startPreviewHost();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport });
    await page.goto(host.url);
    const keypad = page.getByRole('group', { name: 'Keypad' });
    await keypad.getByRole('button', { name: '1', exact: true }).waitFor();
    await page.evaluate(installPaintProbe);
    const centreOf = async (name: string) => {
      const box = await keypad.getByRole('button', { name, exact: true }).boundingBox();
      if (!box) throw new Error(`keypad button ${name} is not on screen`);
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };
    const number = '2065550100';
    const keys = new Map<string, { x: number; y: number }>();
    for (const key of new Set([...number, 'Clear'])) keys.set(key, await centreOf(key));

    let typed = 0;
    const taps = await measure(
      'keypressToPaint',
      async () => {
        const recorded = await page.evaluate(() => window.tapToPaintMs!.length);
        const key = keys.get(number[typed % number.length]!)!;
        await page.mouse.click(key.x, key.y);
        await page.waitForFunction((count) => window.tapToPaintMs!.length > count, recorded);
        return { overriddenDuration: await page.evaluate(() => window.tapToPaintMs!.at(-1)!) };
      },
      {
        iterations: 200,
        warmupIterations: 20,
        retainSamples: true,
        afterEach: async () => {
          typed += 1;
          if (typed % number.length === 0) {
            const clear = keys.get('Clear')!;
            await page.mouse.click(clear.x, clear.y);
          }
        },
      },
    );
    return quantile(taps, 0.95);
  } finally {
    await browser.close();
    await host.stop();
  }
}

/**
 * Both start from nothing, as a kiosk does when it is switched on: cold_start_ms is the
 * preview host and a fresh Chromium starting together until the keypad's digits are
 * enabled; the baseline is the same Chromium starting and loading a blank page from a
 * local server. Each run has a fresh browser profile and a fresh demo data folder.
 */
async function measureColdStart(): Promise<{ cold_start_ms: number; cold_start_vs_blank_ratio: number }> {
  const blankServer = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>blank</title>'));
  await new Promise<void>((resolve) => blankServer.listen(0, '127.0.0.1', resolve));
  const blankUrl = `http://127.0.0.1:${(blankServer.address() as AddressInfo).port}/`;
  const running: { host?: RunningPreviewHost; browser?: Browser } = {};
  const tidy = async () => {
    await running.browser?.close();
    await running.host?.stop();
    running.browser = undefined;
    running.host = undefined;
  };
  try {
    const kiosk = await measure(
      'coldStart',
      async () => {
        const started = performance.now();
        [running.host, running.browser] = await Promise.all([startPreviewHost(), launchChromium()]);
        const page = await running.browser.newPage({ viewport });
        await page.goto(running.host.url);
        await keypadInteractive(page);
        return { overriddenDuration: performance.now() - started };
      },
      { iterations: 5, warmupIterations: 1, afterEach: tidy },
    );
    const blank = await measure(
      'blankPage',
      async () => {
        const started = performance.now();
        running.browser = await launchChromium();
        const page = await running.browser.newPage({ viewport });
        await page.goto(blankUrl);
        return { overriddenDuration: performance.now() - started };
      },
      { iterations: 5, warmupIterations: 1, afterEach: tidy },
    );
    return { cold_start_ms: kiosk.p50, cold_start_vs_blank_ratio: kiosk.p50 / blank.p50 };
  } finally {
    await tidy();
    await new Promise<void>((resolve) => blankServer.close(() => resolve()));
  }
}

/** The keypad is on screen and its digits take taps (React has mounted and nothing is busy). */
async function keypadInteractive(page: Page): Promise<void> {
  const digit = page.getByRole('group', { name: 'Keypad' }).getByRole('button', { name: '1', exact: true });
  await digit.waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const key = Array.from(document.querySelectorAll('[role="group"] button')).find((button) => button.textContent === '1');
    return key instanceof HTMLButtonElement && !key.disabled;
  });
}
