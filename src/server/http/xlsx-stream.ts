/**
 * A streaming .xlsx writer for big exports: one sheet, rows turned straight into SpreadsheetML
 * text and deflated on the way out, so memory stays flat however many rows there are. The zip is
 * written by hand (PKZIP with a data descriptor after the sheet, whose size is known only at the
 * end); compression runs on libuv's thread pool, beside the thread making the rows.
 *
 * Backpressure is end to end: `flush()` waits until the compressor and the destination have
 * taken what was written, so a slow client or disk holds the producer back instead of memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { colsXml, columnName, MAIN_NS, numberCell, packageParts, textCell, XML_HEAD } from '../../shared/xlsx-parts';

export interface XlsxColumn<K extends string = string> {
  /** Where `addRow` finds the column's value. */
  key: K;
  header: string;
  width: number;
  /** How a Date in this column is shown (default: date and time). Strings and numbers are written as they are. */
  date?: 'date' | 'datetime';
}
export type XlsxValue = string | number | Date | null | undefined;

// Cell formats in styles.xml: 0 default, 1 bold (header), 2 date, 3 date and time.
const STYLE = { header: 1, date: 2, datetime: 3 } as const;
const STYLES_XML =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font><font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

const DAY_MS = 86_400_000;
/** Excel has no time zones: a timestamp (ISO, UTC) is written as the wall-clock time in Shanghai. */
export const shanghaiWallClock = (at: string | number | null | undefined): Date | null =>
  typeof at === 'number' ? new Date(at + 8 * 3_600_000) : at ? new Date(Date.parse(at) + 8 * 3_600_000) : null;
/** Excel's serial day number for a Date (its UTC fields are what the cell shows). */
export const excelSerial = (d: Date) => d.getTime() / DAY_MS + 25569;

// Text is turned into bytes every 32 k characters: a longer (two-byte) string would be allocated outside
// the young generation and wait for a full garbage collection.
const CHUNK = 32 * 1024;
const MAX_ZIP32 = 0xffffffff;

// DOS date and time of the entries (the file's own timestamp is in the workbook properties).
function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

interface Entry {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  descriptor: boolean;
}

export class XlsxStreamWriter<K extends string> {
  private readonly refs: string[];
  private readonly keys: K[];
  private readonly dateStyles: number[];
  private readonly entries: Entry[] = [];
  private readonly stamp: { time: number; date: number };
  private offset = 0;
  private row = 0;
  private text = '';
  private readonly deflate: zlib.DeflateRaw;
  private readonly sheet: Entry;
  private failed: Error | null = null;

  /** Writes the sheet's start (the bold, frozen header row) at once. */
  constructor(
    private readonly out: Writable,
    private readonly opts: { sheet: string; columns: readonly XlsxColumn<K>[]; creator?: string; now?: Date },
  ) {
    this.refs = opts.columns.map((_, i) => columnName(i));
    this.keys = opts.columns.map((c) => c.key);
    this.dateStyles = opts.columns.map((c) => (c.date === 'date' ? STYLE.date : STYLE.datetime));
    this.stamp = dosDateTime(opts.now ?? new Date());
    out.on('error', (err) => (this.failed ??= err));
    const name = Buffer.from('xl/worksheets/sheet1.xml', 'utf8');
    this.sheet = { name, crc: 0, compressed: 0, size: 0, offset: this.offset, descriptor: true };
    this.localHeader(name, 0, 0, 0, true);
    // Level 4: nearly the size of the default level in a little over half the time, for this kind of XML.
    this.deflate = zlib.createDeflateRaw({ level: 4, memLevel: 9, chunkSize: 64 * 1024 });
    this.deflate.on('data', (chunk: Buffer) => {
      this.sheet.compressed += chunk.length;
      this.offset += chunk.length;
      if (!this.out.write(chunk)) {
        this.deflate.pause();
        this.out.once('drain', () => this.deflate.resume());
      }
    });
    this.deflate.on('error', (err) => (this.failed ??= err));
    const pane = '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>';
    this.text =
      `${XML_HEAD}<worksheet xmlns="${MAIN_NS}"><sheetViews><sheetView workbookViewId="0">${pane}</sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/>${colsXml(opts.columns.map((c) => c.width))}<sheetData>` +
      `<row r="1">${opts.columns.map((c, i) => textCell(`${this.refs[i]}1`, c.header, STYLE.header)).join('')}</row>`;
    this.row = 1;
  }

  private write(buf: Buffer) {
    this.offset += buf.length;
    this.out.write(buf);
  }

  private localHeader(name: Buffer, crc: number, compressed: number, size: number, descriptor: boolean) {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4); // version needed
    h.writeUInt16LE((descriptor ? 0x0008 : 0) | 0x0800, 6); // data descriptor; names are UTF-8
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(compressed, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(0, 28);
    this.write(h);
    this.write(name);
  }

  private addPart(name: string, xml: string) {
    const data = Buffer.from(xml, 'utf8');
    const packed = zlib.deflateRawSync(data);
    const entry: Entry = { name: Buffer.from(name, 'utf8'), crc: zlib.crc32(data), compressed: packed.length, size: data.length, offset: this.offset, descriptor: false };
    this.localHeader(entry.name, entry.crc, entry.compressed, entry.size, false);
    this.write(packed);
    this.entries.push(entry);
  }

  /** One row: each column's value under its key. */
  addRow(values: Readonly<Record<K, XlsxValue>>): void {
    const r = ++this.row;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < this.refs.length; i++) {
      const v = values[this.keys[i]];
      if (v === null || v === undefined || v === '') continue;
      const ref = this.refs[i] + r;
      if (v instanceof Date) xml += numberCell(ref, excelSerial(v), this.dateStyles[i]);
      else if (typeof v === 'number') xml += numberCell(ref, v);
      else xml += textCell(ref, v);
    }
    this.text += `${xml}</row>`;
    if (this.text.length >= CHUNK) this.push();
  }

  private push() {
    if (!this.text) return;
    const data = Buffer.from(this.text, 'utf8');
    this.text = '';
    this.sheet.crc = zlib.crc32(data, this.sheet.crc);
    this.sheet.size += data.length;
    if (this.sheet.size > MAX_ZIP32) throw new Error('export sheet larger than 4 GB');
    this.deflate.write(data);
  }

  private check() {
    if (this.failed) throw this.failed;
    if (this.out.destroyed) throw new Error('export destination closed');
  }

  /** Waits for `event`, or for the destination to close (a client gone): then fails. */
  private async until(emitter: NodeJS.EventEmitter, event: string) {
    const ac = new AbortController();
    try {
      await Promise.race([once(emitter, event, { signal: ac.signal }), once(this.out, 'close', { signal: ac.signal })]);
    } finally {
      ac.abort();
    }
    if (this.out.destroyed && !this.out.writableFinished) this.failed ??= new Error('export destination closed');
  }

  /** Waits until what was written has been compressed and taken by the destination. */
  async flush(): Promise<void> {
    this.check();
    this.push();
    if (this.deflate.writableNeedDrain) await this.until(this.deflate, 'drain');
    this.check();
  }

  /** Ends the sheet and the package; answers the number of data rows. */
  async finish(): Promise<number> {
    this.text += `</sheetData><autoFilter ref="A1:${this.refs[this.refs.length - 1]}${this.row}"/></worksheet>`;
    this.push();
    this.deflate.end();
    await this.until(this.deflate, 'end');
    this.check();
    const s = this.sheet;
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(s.crc, 4);
    desc.writeUInt32LE(s.compressed, 8);
    desc.writeUInt32LE(s.size, 12);
    this.write(desc);
    if (this.offset > MAX_ZIP32) throw new Error('export file larger than 4 GB');
    this.entries.push(s);
    for (const part of packageParts({ sheet: this.opts.sheet, styles: STYLES_XML, creator: this.opts.creator, created: this.opts.now })) this.addPart(part.name, part.xml);

    const central = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4); // made by
      h.writeUInt16LE(20, 6); // needed
      h.writeUInt16LE((e.descriptor ? 0x0008 : 0) | 0x0800, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      this.write(h);
      this.write(e.name);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - central, 12);
    end.writeUInt32LE(central, 16);
    this.write(end);
    this.out.end();
    await once(this.out, 'finish');
    return this.row - 1;
  }
}
