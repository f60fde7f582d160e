// One status line per panel: 正在加载… / the API's error message / 没有数据, read out by screen readers.
import { fill, h } from './dom.ts';
import { messageOf } from './api.ts';

export type StatusKind = 'loading' | 'error' | 'empty' | 'ok' | 'info';

export function setStatus(el: HTMLElement, kind: StatusKind, text = ''): void {
  el.className = `status status-${kind}`;
  el.toggleAttribute('hidden', kind === 'ok' && !text);
  fill(el, kind === 'loading' ? h('span', { class: 'spinner', 'aria-hidden': 'true' }) : null, text || (kind === 'loading' ? '正在加载…' : ''));
}

export function statusError(el: HTMLElement, e: unknown): void {
  setStatus(el, 'error', messageOf(e));
}

/** Run a loader with the status line showing loading, then nothing (or the error). */
export async function withStatus<T>(el: HTMLElement, run: () => Promise<T>, loadingText = '正在加载…'): Promise<T | undefined> {
  setStatus(el, 'loading', loadingText);
  try {
    const r = await run();
    setStatus(el, 'ok');
    return r;
  } catch (e) {
    statusError(el, e);
    return undefined;
  }
}
