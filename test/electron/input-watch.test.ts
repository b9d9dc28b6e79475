import { describe, expect, it, vi } from 'vitest';
import { isEscapeShortcut, type KeyInput } from '../../src-main/electron/escape-shortcuts';
import { throttle, watchInput } from '../../src-main/electron/input-watch';
import { FakeWebContents } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

/** `Alt+F4`, `Ctrl+Shift+I`, `Cmd+W`, `F5`… as Electron reports the key press. */
function keys(combo: string): KeyInput {
  const parts = combo.split('+');
  const key = parts.pop()!;
  return {
    key: key === 'Space' ? ' ' : key,
    control: parts.includes('Ctrl'),
    meta: parts.includes('Cmd'),
    alt: parts.includes('Alt'),
    shift: parts.includes('Shift'),
  };
}

describe('shortcuts out of the kiosk', () => {
  it.each([
    'Alt+F4',
    'Ctrl+w',
    'Cmd+w',
    'Ctrl+Shift+W',
    'Ctrl+q',
    'Cmd+q',
    'Ctrl+r',
    'Ctrl+Shift+R',
    'F5',
    'Ctrl+F5',
    'F11',
    'F12',
    'Ctrl+Shift+I',
    'Cmd+Alt+i',
    'Ctrl+Shift+J',
    'Ctrl+Shift+C',
    'Ctrl+m',
    'Cmd+h',
    'Ctrl+p',
    'Alt+Space',
  ])('%s is one', (combo) => expect(isEscapeShortcut(keys(combo))).toBe(true));

  it.each(['w', 'W', 'Shift+Q', 'r', 'F4', 'Ctrl+c', 'Ctrl+v', 'Ctrl+a', 'Ctrl+z', 'Ctrl+i', 'Escape', 'Enter', 'Tab', '5', 'Backspace', 'Space'])(
    '%s is typing, not one',
    (combo) => expect(isEscapeShortcut(keys(combo))).toBe(false),
  );
});

function watched({ lockedDown = true } = {}) {
  const contents = new FakeWebContents();
  const onActivity = vi.fn();
  let locked = lockedDown;
  watchInput(contents as unknown as Electron.WebContents, { onActivity, lockedDown: () => locked });
  return { contents, onActivity, unlock: () => (locked = false) };
}

describe('input watched from main', () => {
  it('swallows the shortcuts out of the kiosk in kiosk mode', () => {
    const { contents } = watched();
    expect(contents.pressKey({ key: 'F4', alt: true }).prevented).toBe(true);
    expect(contents.pressKey({ key: 'w', control: true }).prevented).toBe(true);
    expect(contents.pressKey({ key: 'I', control: true, shift: true }).prevented).toBe(true);
  });

  it('lets typing through', () => {
    const { contents } = watched();
    expect(contents.pressKey({ key: '7' }).prevented).toBe(false);
    expect(contents.pressKey({ key: 'v', control: true }).prevented).toBe(false);
  });

  it('lets every key through once an exit is under way', () => {
    const { contents, unlock } = watched();
    unlock();
    expect(contents.pressKey({ key: 'F4', alt: true }).prevented).toBe(false);
    expect(contents.pressKey({ key: 'q', control: true }).prevented).toBe(false);
  });

  it.each(['touchStart', 'touchMove', 'mouseDown', 'mouseUp', 'mouseWheel', 'keyDown', 'rawKeyDown', 'char', 'gestureTap', 'gestureScrollUpdate', 'pointerDown'])(
    'counts %s as a person at the screen',
    (type) => {
      const { contents, onActivity } = watched();
      contents.receiveInput(type);
      expect(onActivity).toHaveBeenCalledOnce();
    },
  );

  it.each(['mouseMove', 'mouseEnter', 'mouseLeave', 'pointerMove', 'pointerRawUpdate', 'undefined'])(
    'does not count %s, which a resting cursor can cause',
    (type) => {
      const { contents, onActivity } = watched();
      contents.receiveInput(type);
      expect(onActivity).not.toHaveBeenCalled();
    },
  );
});

describe('throttle', () => {
  it('runs at once, then at most once per interval', () => {
    let now = 0;
    const action = vi.fn();
    const throttled = throttle(action, 1000, () => now);
    throttled();
    throttled();
    now = 999;
    throttled();
    expect(action).toHaveBeenCalledTimes(1);
    now = 1000;
    throttled();
    throttled();
    expect(action).toHaveBeenCalledTimes(2);
  });
});
