// Exact decimal arithmetic for scaling read values: "2.57万" must be 25700 exactly, never 25699.999….
// A value is m × 10^e with an integer mantissa (bigint); products are exact and the result is rounded
// to a JS number only once, at the end.

/** An exact decimal m × 10^e. Always normalised: m has no trailing zeros (and e is 0 when m is 0). */
export interface Decimal {
  readonly m: bigint;
  readonly e: number;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

function normalise(m: bigint, e: number): Decimal {
  if (m === 0n) return { m: 0n, e: 0 };
  while (m % 10n === 0n) {
    m /= 10n;
    e += 1;
  }
  return { m, e };
}

/** Read a plain decimal literal such as "2.57", "-0.07", ".5", "1e-7". Undefined when malformed. */
export function decimalFromString(s: string): Decimal | undefined {
  const r = DECIMAL_RE.exec(s);
  if (!r) return undefined;
  const int = r[2] ?? '';
  const frac = r[3] ?? '';
  if (int === '' && frac === '') return undefined;
  const exp = r[4] === undefined ? 0 : Number(r[4]);
  if (!Number.isSafeInteger(exp)) return undefined;
  const m = BigInt(int + frac || '0');
  return normalise(r[1] === '-' ? -m : m, exp - frac.length);
}

/** The decimal a finite JS number stands for, using its shortest round-trip spelling (0.07 → 7e-2). */
export function decimalFromNumber(x: number): Decimal | undefined {
  if (!Number.isFinite(x)) return undefined;
  return decimalFromString(String(x));
}

export function pow10(k: number): Decimal {
  return { m: 1n, e: k };
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return normalise(a.m * b.m, a.e + b.e);
}

export function negate(d: Decimal): Decimal {
  return { m: -d.m, e: d.e };
}

/** The nearest JS number (correctly rounded once; exact for every integer below 2^53). */
export function toNumber(d: Decimal): number {
  return Number(`${d.m}e${d.e}`);
}

export function isInteger(d: Decimal): boolean {
  return d.e >= 0;
}

export function isNegative(d: Decimal): boolean {
  return d.m < 0n;
}

/** Significant digits of the mantissa (trailing zeros do not count). */
export function significantDigits(d: Decimal): number {
  return (d.m < 0n ? -d.m : d.m).toString().length;
}
