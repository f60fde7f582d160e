// Production sign-in: Cloudflare Access puts a signed JWT in Cf-Access-Jwt-Assertion. Verify its RS256
// signature against the team's keys, its issuer, audience, expiry and not-before, then map its email to an
// account. Anything malformed is an AccessError (401), never a crash.
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

const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Leeway for `nbf` (seconds): the issuer's clock may run slightly ahead of the Worker's. `exp` has none. */
export const NBF_LEEWAY_S = 60;

export class AccessError extends Error {}

/**
 * Keys from https://<team>/cdn-cgi/access/certs, cached per isolate for 10 minutes. A kid not in the cache
 * (Access rotated its keys) refetches at most once a minute.
 */
export function teamKeys(teamDomain: string, fetcher: typeof fetch = fetch): KeySource {
  let cache: { at: number; keys: Jwk[] } | undefined;
  const load = async () => {
    let res: Response;
    try {
      res = await fetcher(`https://${teamDomain}/cdn-cgi/access/certs`);
    } catch {
      throw new AccessError('无法获取 Access 公钥（网络错误）');
    }
    if (!res.ok) throw new AccessError(`无法获取 Access 公钥（${res.status}）`);
    const body = (await res.json().catch(() => null)) as { keys?: unknown } | null;
    cache = { at: Date.now(), keys: Array.isArray(body?.keys) ? (body.keys as Jwk[]) : [] };
    return cache.keys;
  };
  return async (kid) => {
    const keys = !cache || Date.now() - cache.at > 600_000 ? await load() : cache.keys;
    const key = keys.find((k) => k.kid === kid);
    if (key || !cache || Date.now() - cache.at < 60_000) return key;
    return (await load()).find((k) => k.kid === kid);
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export async function verifyAccessJwt(token: string, opts: { audience: string; keys: KeySource; issuer?: string; now?: number }): Promise<AccessClaims> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((x) => !/^[A-Za-z0-9_-]+$/.test(x))) throw new AccessError('身份凭证格式错误');
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  let signature: Uint8Array;
  try {
    header = JSON.parse(dec.decode(fromB64url(h)));
    claims = JSON.parse(dec.decode(fromB64url(p)));
    signature = fromB64url(s);
  } catch {
    throw new AccessError('身份凭证无法解析');
  }
  if (!isObject(header) || !isObject(claims)) throw new AccessError('身份凭证无法解析');
  // Only RS256: never "none", never an HMAC keyed with the public key.
  if (header.alg !== 'RS256' || typeof header.kid !== 'string' || !header.kid) throw new AccessError('身份凭证的签名算法不受支持');
  const jwk = await opts.keys(header.kid);
  if (!jwk) throw new AccessError('身份凭证的签名密钥未知');
  if (jwk.kty !== 'RSA' || (jwk.alg !== undefined && jwk.alg !== 'RS256')) throw new AccessError('身份凭证的签名密钥类型不符');
  let ok: boolean;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', ext: true }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, new TextEncoder().encode(`${h}.${p}`));
  } catch {
    throw new AccessError('身份凭证签名无效');
  }
  if (!ok) throw new AccessError('身份凭证签名无效');
  if (opts.issuer !== undefined) {
    const iss = typeof claims.iss === 'string' ? claims.iss.replace(/\/+$/, '') : undefined;
    if (iss !== opts.issuer.replace(/\/+$/, '')) throw new AccessError('身份凭证的签发方（iss）不符');
  }
  const aud = Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : typeof claims.aud === 'string' ? [claims.aud] : [];
  if (!aud.includes(opts.audience)) throw new AccessError('身份凭证的受众（aud）不符');
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp) || claims.exp <= now) throw new AccessError('身份凭证已过期');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || !Number.isFinite(claims.nbf) || claims.nbf > now + NBF_LEEWAY_S)) throw new AccessError('身份凭证尚未生效');
  if (typeof claims.email !== 'string' || !claims.email) throw new AccessError('身份凭证缺少邮箱');
  return { email: claims.email, aud, exp: claims.exp, ...(typeof claims.iss === 'string' ? { iss: claims.iss } : {}) };
}
