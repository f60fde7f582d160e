// What every dashboard page does on load: who is signed in (rendered by the server into data attributes),
// the sign-out button, the print date, and the filter state kept in the address bar.
import { api } from './api.ts';

export interface PageUser {
  role: 'township' | 'county' | 'finance' | 'admin' | 'province';
  login: string;
  name: string;
  township: string;
  county: string;
}

export function currentUser(): PageUser {
  const d = document.body.dataset;
  return { role: (d.role ?? 'county') as PageUser['role'], login: d.login ?? '', name: d.name ?? '', township: d.township ?? '', county: d.county ?? '' };
}

export function canWrite(u: PageUser, ...roles: PageUser['role'][]): boolean {
  return roles.includes(u.role);
}

export function initPage(): PageUser {
  const logout = document.getElementById('logout');
  logout?.addEventListener('click', async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      location.assign('/login');
    }
  });
  document.getElementById('print')?.addEventListener('click', () => window.print());
  // A province account's county picker (layout.tsx): choosing a county opens it.
  const pick = document.getElementById('county-pick');
  if (pick instanceof HTMLSelectElement) pick.addEventListener('change', () => pick.value && pick.form?.submit());
  const printed = document.getElementById('printed-at');
  if (printed) {
    const d = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    printed.textContent = `打印时间：${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  return currentUser();
}

export function queryParam(name: string): string {
  return new URLSearchParams(location.search).get(name) ?? '';
}

/** Keep filters in the address bar so a view can be bookmarked, shared or reloaded. */
export function setQuery(values: Record<string, string | undefined>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v) q.set(k, v);
    else q.delete(k);
  }
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}`);
}
