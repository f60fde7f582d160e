// 以奖代补 allocation: public API.
export { allocate } from './allocate.ts';
export { allocationInputSchema, validateAllocationInput, formatPath, type Validated } from './schema.ts';
export {
  parseAllocationInput,
  parseAllocationJson,
  parseUnitsCsv,
  type AllocationOptions,
  type CsvField,
  type InputOutcome,
} from './input.ts';
export { competitionRanks } from './ranks.ts';
export { ROUNDING_UNITS } from './rounding.ts';
export type * from './types.ts';
