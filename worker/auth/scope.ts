// What a user may see: a township officer their township, county roles their county, a province account
// the counties of its province.
import type { User } from '../env.ts';
import { forbidden } from '../errors.ts';

export function canSeeCounty(u: User, countyCode: string): boolean {
  // Exactly the two-digit province prefix: a mistyped "4" must not open every county of 41–49.
  if (u.role === 'province') return !!u.provinceCode && /^\d{2}$/.test(u.provinceCode) && countyCode.slice(0, 2) === u.provinceCode;
  if (u.role === 'township') return false;
  return u.countyCode === countyCode;
}

export function canSeeTownship(u: User, townshipCode: string): boolean {
  if (u.role === 'township') return u.townshipCode === townshipCode;
  return canSeeCounty(u, townshipCode.slice(0, 6));
}

export function assertCounty(u: User, countyCode: string): void {
  if (!canSeeCounty(u, countyCode)) throw forbidden('无权查看该县的数据');
}

export function assertTownship(u: User, townshipCode: string): void {
  if (!canSeeTownship(u, townshipCode)) throw forbidden('无权查看该乡镇的数据');
}

/** The county a request is about: the user's own, or (province) the one asked for. */
export function countyOf(u: User, asked?: string): string {
  if (asked) {
    if (u.role === 'township' ? asked !== u.townshipCode?.slice(0, 6) : !canSeeCounty(u, asked)) throw forbidden('无权查看该县的数据');
    return asked;
  }
  const own = u.countyCode ?? u.townshipCode?.slice(0, 6);
  if (!own) throw forbidden('省级账号请指定县（county 参数）');
  return own;
}
