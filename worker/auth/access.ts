// Production sign-in: Cloudflare Access puts a signed JWT in Cf-Access-Jwt-Assertion. Verify its RS256
// signature against the team's keys, its audience and its expiry, then map its email to an account.
import { fromB64url } from './crypto.ts';

export interface AccessClaims {
  email: string;
  aud: string[];
  exp: number;
  iss?: string;
}

export interface Jwk {
  kid: string;
  kty: string;
  n: string;
  e: string;
  alg?: string;
}

export type KeySource = (kid: string) => Promise<Jwk | undefined>;

const dec = new TextDecoder();

export class AccessError extends Error {}

/** Keys from https://<team>/cdn-cgi/access/certs, cached per isolate for 10 minutes. */
export function teamKeys(teamDomain: string, fetcher: typeof fetch = fetch): KeySource {
  let cache: { at: number; keys: Jwk[] } | undefined;
  return async (kid) => {
    if (!cache || Date.now() - cache.at > 600_000) {
      const res = await fetcher(`https://${teamDomain}/cdn-cgi/access/certs`);
      if (!res.ok) throw new AccessError(`无法获取 Access 公钥（${res.status}）`);
      cache = { at: Date.now(), keys: ((await res.json()) as { keys: Jwk[] }).keys };
    }
    return cache.keys.find((k) => k.kid === kid);
  };
}

export async function verifyAccessJwt(token: string, opts: { audience: string; keys: KeySource; now?: number }): Promise<AccessClaims> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new AccessError('身份凭证格式错误');
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string; kid?: string };
  let claims: Partial<AccessClaims> & { aud?: string | string[] };
  try {
    header = JSON.parse(dec.decode(fromB64url(h)));
    claims = JSON.parse(dec.decode(fromB64url(p)));
  } catch {
    throw new AccessError('身份凭证无法解析');
  }
  if (header.alg !== 'RS256' || !header.kid) throw new AccessError('身份凭证的签名算法不受支持');
  const jwk = await opts.keys(header.kid);
  if (!jwk) throw new AccessError('身份凭证的签名密钥未知');
  const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, n: jwk.n, e: jwk.e, alg: 'RS256', ext: true }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  const ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, fromB64url(s), new TextEncoder().encode(`${h}.${p}`));
  if (!ok) throw new AccessError('身份凭证签名无效');
  const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
  if (!aud.includes(opts.audience)) throw new AccessError('身份凭证的受众（aud）不符');
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new AccessError('身份凭证已过期');
  if (typeof claims.email !== 'string' || !claims.email) throw new AccessError('身份凭证缺少邮箱');
  return { email: claims.email, aud, exp: claims.exp, ...(claims.iss ? { iss: claims.iss } : {}) };
}
