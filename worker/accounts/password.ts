// Password rules for passwords a person chooses, and the one-time passwords an administrator hands out.
// Stored as PBKDF2 (worker/auth/crypto.ts) either way.

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** The rule in one Chinese sentence (pages and error messages). */
export const PASSWORD_RULE = `密码至少 ${MIN_PASSWORD_LENGTH} 位，且包含大写字母、小写字母、数字、符号中的至少三类，不能与登录名相同或包含登录名`;

const CLASSES: readonly [RegExp, string][] = [
  [/[a-z]/, '小写字母'],
  [/[A-Z]/, '大写字母'],
  [/[0-9]/, '数字'],
  [/[^A-Za-z0-9]/, '符号'],
];

/** Why a chosen password is too weak (Chinese), or null when it is acceptable. */
export function passwordProblem(password: string, login?: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `密码太短：至少 ${MIN_PASSWORD_LENGTH} 位（现为 ${length} 位）。${PASSWORD_RULE}`;
  if (length > MAX_PASSWORD_LENGTH) return `密码过长：最多 ${MAX_PASSWORD_LENGTH} 位`;
  if (/^\s|\s$/.test(password)) return '密码首尾不能是空格';
  const have = CLASSES.filter(([re]) => re.test(password));
  if (have.length < 3) {
    const missing = CLASSES.filter((c) => !have.includes(c)).map(([, name]) => name);
    return `密码太简单：只含${have.map(([, n]) => n).join('、') || '一类字符'}，还需加入${missing.join('或')}中的至少 ${3 - have.length} 类。${PASSWORD_RULE}`;
  }
  if (login && login.length >= 3 && password.toLowerCase().includes(login.toLowerCase())) return '密码不能包含登录名';
  if (/(.)\1{5,}/u.test(password)) return '密码不能含有 6 个以上连续相同的字符';
  return null;
}

// No look-alikes (0/O, 1/l/I).
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGIT = '23456789';

function pick(alphabet: string, bytes: Uint8Array, i: number): string {
  return alphabet[bytes[i]! % alphabet.length]!;
}

/** A one-time password: three groups of four (e.g. "Kp7m-Qx3a-9Tzc"), upper, lower, digits and hyphens,
 * about 70 bits of randomness; it always satisfies passwordProblem. */
export function oneTimePassword(): string {
  const all = UPPER + LOWER + DIGIT;
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    // Rejection keeps the choice uniform: 256 is not a multiple of the alphabet size.
    if ([...bytes].some((b) => b >= 256 - (256 % all.length))) continue;
    const chars = Array.from({ length: 12 }, (_, i) => pick(all, bytes, i));
    const s = `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
    if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)) return s;
  }
}
