// isBlank decides cells that start with a visible character without its regex; for every UTF-16 code unit, as
// a whole cell and as the first of two, the answer must equal the pattern's.
import { describe, expect, it } from 'vitest';
import { isBlank } from '../../shared/values/index.ts';

const PATTERN = /^(?:[\s\u200b\u200c\u2060\ufeff]|\u200d)*$/;

describe('isBlank fast path', () => {
  it('agrees with the blank pattern for every code unit, alone and followed by a space or a letter', () => {
    const wrong: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      for (const s of [String.fromCharCode(c), String.fromCharCode(c) + ' ', String.fromCharCode(c) + 'x']) {
        if (isBlank({ address: 'A1', value: s }) !== PATTERN.test(s)) wrong.push(c.toString(16));
      }
    }
    expect(wrong).toEqual([]);
  });
});
