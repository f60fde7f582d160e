// Demo activity: the submissions and observation round of the demo county. Filled in when the submission
// pipeline lands (issue 3).
import type { Bindings } from './env.ts';
import type { DemoCounty } from '../shared/demo/generate.ts';

export async function loadDemoActivity(_env: Bindings, _demo: DemoCounty): Promise<void> {}
