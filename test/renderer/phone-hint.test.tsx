// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PhoneScreen } from '../../src-renderer/screens/PhoneScreen';
import { phoneHint } from '../../src-renderer/screens/phone-hint';
import { kioskStoreWith } from './render-kiosk';

afterEach(cleanup);

function showPhoneScreen() {
  const kiosk = kioskStoreWith({ state: 'ready' });
  kiosk.show(<PhoneScreen store={kiosk.store} />);
  return kiosk;
}

const tap = (keys: string) => {
  const keypad = screen.getByRole('group', { name: 'Keypad' });
  for (const key of keys) fireEvent.click([...keypad.querySelectorAll('button')].find((button) => button.textContent === key)!);
};
const hintText = () => document.getElementById('phone-hint')?.textContent;
const sendCode = () => screen.getByRole('button', { name: 'Send code' }) as HTMLButtonElement;

describe('the number hint', () => {
  it('says how many digits are missing as the worker types, and only then lets Send code go', async () => {
    showPhoneScreen();
    await screen.findByText('Type your number on the keypad.');
    tap('2065550');
    expect(hintText()).toBe('3 more digits needed.');
    expect(sendCode().disabled).toBe(true);
    tap('10');
    expect(hintText()).toBe('1 more digit needed.');
    tap('0');
    expect(hintText()).toBe('Check the number, then tap Send code.');
    expect(sendCode().disabled).toBe(false);
  });

  it('shows a partial number as typed, not half-formatted', () => {
    showPhoneScreen();
    tap('5550100');
    expect((screen.getByLabelText('Mobile number') as HTMLInputElement).value).toBe('5550100');
    expect(hintText()).toBe('3 more digits needed.');
  });

  it('says how many digits are too many', () => {
    showPhoneScreen();
    tap('206555010012');
    expect(hintText()).toBe('2 digits too many. Delete some.');
    expect(sendCode().disabled).toBe(true);
  });

  it('names a calling code no country has, and a number the country does not use', () => {
    showPhoneScreen();
    tap('+999123');
    expect(hintText()).toBe('No country uses that code. Check the digits after +.');
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    tap('1115550100');
    expect(hintText()).toBe('That is not a number in United States. Check it, or pick the country.');
  });

  it('judges numbers by the country picked', () => {
    expect(phoneHint('0701234567', 'SE')).toEqual({ kind: 'looksRight' });
    expect(phoneHint('0701234567', 'US')).toEqual({ kind: 'notInCountry' });
    expect(phoneHint('+', 'US')).toEqual({ kind: 'international' });
    expect(phoneHint('', 'US')).toEqual({ kind: 'empty' });
  });
});
