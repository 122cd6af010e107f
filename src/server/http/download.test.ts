import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sheetDrained, sheetPipe } from './download';

describe('streamed workbooks', () => {
  it('wait between batches for the deflate stream, so a large export does not pile up in memory', async () => {
    const out = new PassThrough();
    let bytes = 0;
    out.on('data', (c: Buffer) => (bytes += c.length));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('x');
    ws.addRow(['header']).commit();
    // The exceljs internals it relies on are still there.
    const pipe = sheetPipe(ws);
    expect(typeof pipe?._writableState?.needDrain).toBe('boolean');
    let most = 0;
    for (let batch = 0; batch < 10; batch++) {
      for (let i = 0; i < 2000; i++) ws.addRow([`YH-310115-2026-${String(batch * 2000 + i).padStart(6, '0')}`, '配电箱未接地，电缆破损，现场已设警示'.repeat(4), new Date()]).commit();
      await sheetDrained(ws);
      most = Math.max(most, pipe!._writableState!.length);
    }
    // After each wait the deflate stream holds less than one batch (a batch is ~600 kB of XML).
    expect(most).toBeLessThan(64 * 1024);
    ws.commit();
    await wb.commit();
    expect(bytes).toBeGreaterThan(10_000);
  });
});
