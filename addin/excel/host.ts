/// <reference types="office-js" />
// What the adapter needs from Office.js, injected: `Excel.run` and the requirement-set check. The task pane
// passes the real ones (officeHost); the tests pass the in-memory double. Nothing else in the adapter
// touches a global.

export interface ExcelHost {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  isSetSupported(name: string, version: string): boolean;
  /** 'OfficeOnline' on the web (where the 5 MB payload limit applies), else the desktop platform name. */
  platform?: string;
}

/** The real host, once Office.onReady has resolved inside Excel. */
export function officeHost(): ExcelHost {
  const requirements = typeof Office !== 'undefined' ? Office.context?.requirements : undefined;
  return {
    run: (batch) => Excel.run(batch),
    isSetSupported: (name, version) => (requirements ? requirements.isSetSupported(name, version) : false),
    platform: String((typeof Office !== 'undefined' && Office.context?.platform) || ''),
  };
}

/** What the host supports, decided once from the requirement sets. */
export interface Capabilities {
  /** ExcelApi 1.9: getRanges, getCellProperties, suspendScreenUpdatingUntilNextSync (the add-in's minimum). */
  supported: boolean;
  /** Where explanations go: notes (1.18), comments (1.10), or the 考评结果 sheet. */
  notes: 'notes' | 'comments' | 'none';
  /** getMergedAreasOrNullObject (1.13). */
  merges: boolean;
  /** RangeFill.pattern (1.15): tells "no fill" from a white fill without reading cell by cell. */
  fillPattern: boolean;
  /** onChanged (1.7). */
  events: boolean;
  /** Data validation (1.8). */
  validation: boolean;
}

export function capabilities(host: Pick<ExcelHost, 'isSetSupported'>): Capabilities {
  const has = (v: string) => host.isSetSupported('ExcelApi', v);
  return {
    supported: has('1.9'),
    notes: has('1.18') ? 'notes' : has('1.10') ? 'comments' : 'none',
    merges: has('1.13'),
    fillPattern: has('1.15'),
    events: has('1.7'),
    validation: has('1.8'),
  };
}
