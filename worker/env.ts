// The Worker's bindings and per-request variables.
export type Role = 'township' | 'county' | 'finance' | 'admin' | 'province';
export const ROLES: readonly Role[] = ['township', 'county', 'finance', 'admin', 'province'];

export interface Bindings {
  DB: D1Database;
  RAW: R2Bucket;
  ASSETS?: Fetcher;
  /** "local" (accounts in D1) or "access" (Cloudflare Access JWTs). */
  AUTH_MODE?: string;
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  SESSION_TTL_HOURS?: string;
  /** Comma-separated origins allowed to call the API from a browser (the add-in's task pane). */
  ADDIN_ORIGINS?: string;
}

export interface User {
  id: string;
  login: string;
  name: string;
  role: Role;
  provinceCode: string | null;
  countyCode: string | null;
  townshipCode: string | null;
  /** Signed in with a one-time password: only changing it is allowed until then (worker/auth/middleware.ts). */
  mustChangePassword?: boolean;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: { user: User; requestId: string };
}
