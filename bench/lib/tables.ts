// What the three aggregation engines share, pure (no Node or Worker APIs): the queries of worker/aggregate/sql.ts
// as a list; the tables as CSV and the result fingerprints are in ./csv.ts.
import { TARGET_PARAMS, TOWNSHIP_RANK_SQL, VILLAGE_RANK_SQL, VILLAGE_RATES_SQL } from '../../worker/aggregate/sql.ts';

import type { QueryId } from './csv.ts';

export type { QueryId };
export { columnTypes, csvColumnsSpec, fingerprint, tableToCsv } from './csv.ts';
export type TableSet = 'village' | 'township';

export interface BenchQuery {
  id: QueryId;
  /** Which tables it reads: villageTables() or townshipTables() of worker/aggregate/sql.ts. */
  tables: TableSet;
  sql: (t: Record<string, string>) => string;
  params: readonly number[];
}

/** The ranking and rate queries the Worker runs, verbatim from worker/aggregate/sql.ts. */
export const QUERIES: readonly BenchQuery[] = [
  { id: 'villageRank', tables: 'village', sql: VILLAGE_RANK_SQL, params: [] },
  { id: 'villageRates', tables: 'village', sql: VILLAGE_RATES_SQL, params: TARGET_PARAMS },
  { id: 'townshipRank', tables: 'township', sql: TOWNSHIP_RANK_SQL, params: TARGET_PARAMS },
];

