-- Accounts managed in the product (worker/accounts/): a phone number, a one-time password that must be changed
-- at the next sign-in, logins unique regardless of case (Cloudflare Access e-mails are matched case-insensitively),
-- and failed sign-ins per login (worker/auth/signin.ts: a growing delay, then a lockout).
ALTER TABLE accounts ADD COLUMN phone TEXT;
ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN updated_at TEXT;
CREATE UNIQUE INDEX accounts_login_nocase ON accounts (login COLLATE NOCASE);
CREATE INDEX accounts_county ON accounts (county_code, login);

-- One row per login that failed to sign in (lower-cased; unknown logins too, so the answer never tells which
-- logins exist). Removed by a successful sign-in or an administrator's password reset.
CREATE TABLE login_failures (
  login_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failed_at TEXT NOT NULL,
  locked_until TEXT
);
