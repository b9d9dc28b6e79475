import { expect, type Page } from '@playwright/test';

/** What a person does with a finger: taps by accessible name, and the admin's press-and-hold. */

export async function tapKeys(page: Page, digits: string, keypadName = 'Keypad'): Promise<void> {
  // A dialog's keypad when one is open (the screen's own is inert beneath it).
  const dialog = page.getByRole('dialog');
  const keypad = ((await dialog.count()) > 0 ? dialog : page).getByRole('group', { name: keypadName });
  for (const digit of digits) await keypad.getByRole('button', { name: digit, exact: true }).tap();
}

/** Press and hold with a finger (touch events over the DevTools protocol; Playwright's touchscreen only taps). */
export async function pressAndHold(page: Page, text: string, ms = 3_200): Promise<void> {
  const box = (await page.getByText(text, { exact: true }).boundingBox())!;
  const point = { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(ms);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

export interface Layout {
  scrollWidth: number;
  scrollHeight: number;
  width: number;
  height: number;
  /** Controls a finger can reach that lie (partly) outside the screen, or are under 64 px. */
  offScreen: string[];
  tooSmall: string[];
}

/** Measures the page as the person sees it: does it scroll, is every control on screen and big enough. */
export async function layoutOf(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const height = window.innerHeight;
    const offScreen: string[] = [];
    const tooSmall: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('button, input:not([type=hidden]), select')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
      if (getComputedStyle(element).opacity === '0') continue; // the code input under its six boxes
      const name = element.getAttribute('aria-label') ?? element.textContent?.trim() ?? element.tagName;
      if (box.left < 0 || box.top < 0 || box.right > width + 0.5 || box.bottom > height + 0.5) offScreen.push(name);
      if (box.height < 63.5 || box.width < 63.5) tooSmall.push(`${name} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    const root = document.documentElement;
    return { scrollWidth: root.scrollWidth, scrollHeight: root.scrollHeight, width, height, offScreen, tooSmall };
  });
}

/** The page fits the screen: no scrolling either way, every control on screen and at least 64 px. */
export async function expectToFit(page: Page, what: string): Promise<void> {
  const layout = await layoutOf(page);
  expect({ what, scrolls: layout.scrollHeight > layout.height || layout.scrollWidth > layout.width, offScreen: layout.offScreen, tooSmall: layout.tooSmall }).toEqual({
    what,
    scrolls: false,
    offScreen: [],
    tooSmall: [],
  });
}
