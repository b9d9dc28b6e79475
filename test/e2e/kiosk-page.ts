import { expect, type Page } from '@playwright/test';

/** What a person does at the kiosk, shared by the browser and the Electron e2e tests. */

export async function tapNumber(page: Page, digits: string, keypadName = 'Keypad'): Promise<void> {
  const keypad = page.getByRole('group', { name: keypadName });
  for (const digit of digits) await keypad.getByRole('button', { name: digit, exact: true }).click();
}

/** Reads the code in the newest text on the demo phone, waiting for it to arrive. */
export async function codeFromDemoPhone(page: Page, phoneName = 'Demo phone'): Promise<string> {
  const newest = page.getByRole('region', { name: phoneName }).getByRole('listitem').first();
  const code = async () => /\b(\d{6})\b/.exec((await newest.count()) > 0 ? await newest.innerText() : '')?.[1];
  await expect.poll(code).toMatch(/^\d{6}$/);
  return (await code())!;
}
