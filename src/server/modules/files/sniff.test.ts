import { describe, expect, it } from 'vitest';
import { sniffMime } from './sniff';

describe('content sniffing', () => {
  it('recognises images and PDF by their magic bytes', () => {
    expect(sniffMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(sniffMime(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffMime(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(sniffMime(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
  });
  it('tells DOCX from XLSX from a plain ZIP', () => {
    const zip = (names: string[]) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(names.join('\0'))]);
    expect(sniffMime(zip(['[Content_Types].xml', 'word/document.xml']))).toMatch(/wordprocessingml/);
    expect(sniffMime(zip(['[Content_Types].xml', 'xl/workbook.xml']))).toMatch(/spreadsheetml/);
    expect(sniffMime(zip(['readme.txt']))).toBeNull();
  });
  it('refuses executables and scripts whatever they are called', () => {
    expect(sniffMime(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]))).toBeNull(); // ELF
    expect(sniffMime(Buffer.from('MZ\x90\x00'))).toBeNull(); // Windows PE
    expect(sniffMime(Buffer.from('#!/bin/sh\nrm -rf /'))).toBeNull();
    expect(sniffMime(Buffer.alloc(0))).toBeNull();
  });
});
