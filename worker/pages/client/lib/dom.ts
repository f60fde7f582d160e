// Building DOM nodes without HTML strings: every text goes in as a text node, so names such as
// "<img src=x onerror=…>" show as text. No style attributes (the CSP forbids inline styles): use classes.

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttrValue = string | number | boolean | null | undefined | ((ev: Event) => void);
export type Attrs = Record<string, AttrValue>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'style') throw new Error('inline styles are not allowed (CSP): use a class');
      if (typeof v === 'function') {
        if (!k.startsWith('on')) throw new Error(`not an event: ${k}`);
        el.addEventListener(k.slice(2), v);
      } else if (k === 'value' && 'value' in el) {
        (el as HTMLInputElement).value = String(v);
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replace an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

export function $(selector: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`page element missing: ${selector}`);
  return el;
}

export function $input(selector: string): HTMLInputElement {
  return $(selector) as HTMLInputElement;
}

export function $select(selector: string): HTMLSelectElement {
  return $(selector) as HTMLSelectElement;
}

export function show(el: Element, visible: boolean): void {
  el.toggleAttribute('hidden', !visible);
}

export function option(value: string, label: string, selected = false): HTMLOptionElement {
  const o = h('option', { value }, label);
  o.selected = selected;
  return o;
}
