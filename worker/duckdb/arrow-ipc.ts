import { Field, Float64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC, Utf8 } from 'apache-arrow';

/**
 * Arrow IPC stream for columns of strings and numbers, built straight from typed arrays with
 * apache-arrow's low-level `makeData`. apache-arrow's builders (`tableFromArrays`, `vectorFromArray`,
 * `makeBuilder`) generate code with `new Function`, which workerd forbids; `makeData` and the IPC
 * writer do not.
 */
export type ColumnValues = { kind: 'utf8'; values: readonly string[] } | { kind: 'float64'; values: Float64Array };

export function columnsToArrowIPC(columns: Readonly<Record<string, ColumnValues>>, length: number): Uint8Array {
  const fields: Field[] = [];
  const children = [];
  for (const [name, column] of Object.entries(columns)) {
    if (column.values.length !== length) throw new Error(`column ${name} has ${column.values.length} values, expected ${length}`);
    if (column.kind === 'utf8') {
      fields.push(new Field(name, new Utf8(), false));
      children.push(utf8Data(column.values));
    } else {
      fields.push(new Field(name, new Float64(), false));
      children.push(makeData({ type: new Float64(), length, nullCount: 0, data: column.values }));
    }
  }
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return tableToIPC(new Table([new RecordBatch(schema, struct)]), 'stream');
}

const encoder = new TextEncoder();

function utf8Data(values: readonly string[]) {
  const offsets = new Int32Array(values.length + 1);
  let capacity = 0;
  for (const v of values) capacity += v.length * 3;
  const bytes = new Uint8Array(capacity);
  let end = 0;
  values.forEach((v, i) => {
    end += encoder.encodeInto(v, bytes.subarray(end)).written;
    offsets[i + 1] = end;
  });
  return makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets: offsets, data: bytes.subarray(0, end) });
}
