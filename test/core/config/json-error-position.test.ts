import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../../src-main/core/config/json-error-position';

describe('finding where JSON breaks', () => {
  it.each([
    ['{"a": 1}', null],
    ['[1, 2.5e3, "x\\u00e9", true, false, null, {}]', null],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['{"a": tru}', 9],
    ['{"a": "x', 8],
    ['{"a": 01}', 7],
    ['[1] 2', 4],
    ['', 0],
  ])('%j breaks at %j', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    if (offset === null) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow();
  });
});
