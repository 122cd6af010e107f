/**
 * A reporter's photo can give them away: a phone writes where and when it was taken, and on which
 * device, into the file (EXIF, XMP, text chunks). The public door keeps the picture and drops the
 * rest — JPEG application segments (APP1–APP15) and comments, PNG text, time and EXIF chunks, WebP
 * EXIF and XMP chunks. Pure; a file it cannot walk is refused rather than kept with its metadata.
 */
const u16 = (b: Buffer, i: number) => (b[i] << 8) | b[i + 1];

function stripJpeg(b: Buffer): Buffer | null {
  const out: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    // Start of scan: the image data follows to the end; nothing after it is metadata we could drop safely.
    if (marker === 0xda) {
      out.push(b.subarray(i));
      return Buffer.concat(out);
    }
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = u16(b, i + 2);
    if (len < 2 || i + 2 + len > b.length) return null;
    const drop = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
    if (!drop) out.push(b.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  return null;
}

const PNG_DROP = new Set(['tEXt', 'iTXt', 'zTXt', 'eXIf', 'tIME']);
function stripPng(b: Buffer): Buffer | null {
  const out: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const len = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + len;
    if (end > b.length) return null;
    if (!PNG_DROP.has(type)) out.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(out);
  }
  return null;
}

const WEBP_DROP = new Set(['EXIF', 'XMP ']);
function stripWebp(b: Buffer): Buffer | null {
  const chunks: Buffer[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const type = b.toString('latin1', i, i + 4);
    const len = b.readUInt32LE(i + 4);
    const end = i + 8 + len + (len % 2);
    if (i + 8 + len > b.length) return null;
    let chunk = b.subarray(i, Math.min(end, b.length));
    if (type === 'VP8X') {
      // The extended header says which metadata follows: clear the EXIF and XMP flags.
      chunk = Buffer.from(chunk);
      chunk[8] &= ~0x0c;
    }
    if (!WEBP_DROP.has(type)) chunks.push(chunk);
    i = end;
  }
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  b.copy(head, 0, 0, 12);
  head.writeUInt32LE(body.length + 4, 4);
  return Buffer.concat([head, body]);
}

/** The image without its metadata, or null when it cannot be read as the type it claims. */
export function stripImageMetadata(b: Buffer, mime: string): Buffer | null {
  if (mime === 'image/jpeg') return stripJpeg(b);
  if (mime === 'image/png') return stripPng(b);
  if (mime === 'image/webp') return stripWebp(b);
  return null;
}
