/**
 * Reads the first worksheet of an .xlsx file row by row without loading it whole, so 200,000-row
 * ledgers stream. Each row comes as an array of raw cell values, index 0 = column A.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * exceljs 4.4's streaming reader decodes each inflated chunk on its own, so a Chinese character
 * split across two chunks turns into U+FFFD (upstream issues #2063, #2084, #2316; PRs #1665,
 * #2081 unmerged). Until a release fixes it, hand its XML parser text decoded across chunk
 * boundaries: shared strings by setting the entry's encoding, worksheets by wrapping their chunks.
 */
type ReaderInternals = {
  _parseSharedStrings(entry: { setEncoding(e: string): void }): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  __utf8Patched?: boolean;
};
async function* utf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const c of chunks) {
    const text = typeof c === 'string' ? c : decoder.write(c);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}
const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;
if (!proto.__utf8Patched) {
  const sharedStrings = proto._parseSharedStrings;
  const worksheet = proto._parseWorksheet;
  proto._parseSharedStrings = function (entry) {
    entry.setEncoding('utf8');
    return sharedStrings.call(this, entry);
  };
  proto._parseWorksheet = function (iterator, sheetNo) {
    return worksheet.call(this, utf8(iterator), sheetNo);
  };
  proto.__utf8Patched = true;
}

export async function* readRows(input: Readable | string, maxRows: number): AsyncGenerator<{ rowNumber: number; cells: unknown[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input as never, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  // Leaving exceljs's iterators early can fail in their clean-up (seen under load: a TypeError from
  // the unzip stream). So the rest of the file is read through, not abandoned, after the first
  // worksheet; only past the row limit is it left early — and then the limit is the answer.
  let tooMany = false;
  let first = true;
  try {
    for await (const sheet of reader) {
      if (!first) {
        for await (const _ of sheet as AsyncIterable<unknown>) void _;
        continue;
      }
      first = false;
      let count = 0;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (++count > maxRows) {
          tooMany = true;
          break;
        }
        const values = row.values as unknown[];
        yield { rowNumber: row.number, cells: Array.isArray(values) ? values.slice(1) : [] };
      }
      if (tooMany) break;
    }
  } catch (err) {
    if (!tooMany) throw err;
  }
  if (tooMany) throw new TooManyRowsError(maxRows);
}

export class TooManyRowsError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} rows`);
  }
}
