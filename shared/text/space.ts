// A quick test before a whitespace regex: most cell texts start with a visible character.

/** True for every code unit that \s matches, and for NBSP, U+3000 and the zero-width characters (U+200B–U+200D,
 * U+2060, U+FEFF); false means the character is certainly visible. A superset: a caller confirms with its pattern. */
export function mayBeSpace(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200d) || (c >= 0x2028 && c <= 0x202f) || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff;
}
