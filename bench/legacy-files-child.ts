/**
 * Writes the bench's ledger as offices also keep it — a GBK .csv and a legacy .xls (SheetJS) — in
 * a process of its own, so what building them costs never shows in the measured process's memory.
 * Usage: legacy-files-child.ts DIR ROWS XLS_ROWS ENTERPRISES.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import * as cptable from '@e965/xlsx/dist/cpexcel.full.mjs';

const [dir, rowsArg, xlsRowsArg, entsFile] = process.argv.slice(2);
const ents = JSON.parse(readFileSync(entsFile, 'utf8')) as { uscc: string; name: string }[];
const HEADER = ['统一社会信用代码', '单位名称', '隐患描述', '隐患部位', '隐患级别', '隐患来源', '发现时间', '整改期限', '整改状态', '销号日期'];
const row = (prefix: string, i: number) => {
  const e = ents[i % ents.length];
  const closed = i % 3 === 0;
  const found = new Date(Date.UTC(2025, i % 12, 1 + (i % 28))).toISOString().slice(0, 10);
  return [e.uscc, e.name, `${prefix} 第${i}项`, '车间', '一般', '日常检查', found, '2025-12-31', closed ? '已销号' : '整改中', closed ? '2025-12-01' : ''];
};
const gbk = (cptable as unknown as { utils: { encode(cp: number, s: string): ArrayLike<number> } }).utils;
const chunks: Buffer[] = [Buffer.from(gbk.encode(936, `${HEADER.join(',')}\r\n`) as Uint8Array)];
for (let i = 0; i < Number(rowsArg); i++) chunks.push(Buffer.from(gbk.encode(936, `${row('CSV批量导入隐患', i).join(',')}\r\n`) as Uint8Array));
writeFileSync(path.join(dir, 'ledger-gbk.csv'), Buffer.concat(chunks));
const book = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([HEADER, ...Array.from({ length: Number(xlsRowsArg) }, (_, i) => row('XLS批量导入隐患', i))]), '台账');
writeFileSync(path.join(dir, 'ledger.xls'), XLSX.write(book, { type: 'buffer', bookType: 'biff8' }) as Buffer);
