/**
 * A reporter's photo can give them away: a phone writes where and when it was taken, and on which
 * device, into the file (EXIF, XMP, text chunks). The public door keeps the picture and drops the
 * rest — JPEG application segments (all but JFIF, the colour profile and Adobe's) and comments, PNG text, time and EXIF chunks, WebP
 * EXIF and XMP chunks, and whatever follows a JPEG's end (appended images and videos). Pure; a file it
 * cannot walk is refused rather than kept with its metadata.
 */
const u16 = (b: Buffer, i: number) => (b[i] << 8) | b[i + 1];

/**
 * What a JPEG segment keeps: the JFIF header (APP0), a colour profile (APP2 "ICC_PROFILE") and the
 * Adobe colour transform (APP14), without which colours shift; every other application segment
 * (EXIF and XMP in APP1, MPF's secondary images in APP2, IPTC in APP13, makers' own) and comments go.
 */
function keepsSegment(b: Buffer, at: number, marker: number): boolean {
  if (marker === 0xfe) return false;
  if (marker < 0xe0 || marker > 0xef) return true;
  if (marker === 0xe0 || marker === 0xee) return true;
  return marker === 0xe2 && b.toString('latin1', at + 4, at + 16) === 'ICC_PROFILE\0';
}

/**
 * Segments up to each scan, the scan's coded data up to its next marker, and so on to the end-of-image
 * marker — where the file is cut: phones append whole images, gain maps and videos (each with its own
 * metadata) after it.
 */
function stripJpeg(b: Buffer): Buffer | null {
  const out: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 2 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd9) {
      out.push(b.subarray(i, i + 2));
      return Buffer.concat(out);
    }
    if (i + 4 > b.length) return null;
    const len = u16(b, i + 2);
    if (len < 2 || i + 2 + len > b.length) return null;
    if (keepsSegment(b, i, marker)) out.push(b.subarray(i, i + 2 + len));
    i += 2 + len;
    if (marker !== 0xda) continue;
    // Entropy-coded data: a 0xFF is followed by 0x00 (stuffing) or a restart marker inside it; any other marker ends it.
    const from = i;
    while (i + 1 < b.length && !(b[i] === 0xff && b[i + 1] !== 0x00 && !(b[i + 1] >= 0xd0 && b[i + 1] <= 0xd7) && b[i + 1] !== 0xff)) i++;
    if (i + 1 >= b.length) return null;
    out.push(b.subarray(from, i));
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
