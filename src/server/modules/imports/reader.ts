/**
 * Reads the first worksheet of an .xlsx file row by row without loading it whole, so 200,000-row
 * ledgers stream. Each row comes as an array of raw cell values, index 0 = column A.
 */
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';

export async function* readRows(input: Readable | string, maxRows: number): AsyncGenerator<{ rowNumber: number; cells: unknown[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input as never, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  for await (const sheet of reader) {
    let count = 0;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      if (++count > maxRows) throw new TooManyRowsError(maxRows);
      const values = row.values as unknown[];
      yield { rowNumber: row.number, cells: Array.isArray(values) ? values.slice(1) : [] };
    }
    return; // first worksheet only
  }
}

export class TooManyRowsError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} rows`);
  }
}
