import { describe, expect, it } from 'vitest';
import { decodeText, sniff } from './detect.ts';

const png = (w: number, h: number) => {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return b;
};

describe('sniff (magic bytes, header sizes)', () => {
  it('detects types by content, not name', () => {
    expect(sniff(Buffer.from('%PDF-1.7\n')).mime).toBe('application/pdf');
    expect(sniff(Buffer.from('<?xml version="1.0"?><Invoice/>')).mime).toBe('application/xml');
    expect(sniff(Buffer.from('<rsm:CrossIndustryInvoice xmlns:rsm="x"/>')).mime).toBe('application/xml');
    expect(sniff(Buffer.from('PK\x03\x04rest', 'latin1')).mime).toBe('application/zip');
    expect(sniff(Buffer.from('From: a@b.de\r\nSubject: Hallo\r\n\r\nText')).mime).toBe('message/rfc822');
    expect(sniff(Buffer.from('Hallo Welt')).mime).toBe('text/plain');
  });

  it('reads PNG, JPEG and TIFF sizes from the header', () => {
    expect(sniff(png(70000, 70000))).toMatchObject({ mime: 'image/png', width: 70000, height: 70000 });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x0b, 0xb8, 0x07, 0xd0, 0x03, 0, 0, 0, 0, 0, 0]);
    expect(sniff(jpeg)).toMatchObject({ mime: 'image/jpeg', width: 2000, height: 3000 });
    // little-endian TIFF, one IFD with width 100 (SHORT) and height 200 (LONG)
    const t = Buffer.alloc(8 + 2 + 24 + 4);
    t.write('II', 0, 'latin1');
    t.writeUInt16LE(42, 2);
    t.writeUInt32LE(8, 4);
    t.writeUInt16LE(2, 8);
    t.writeUInt16LE(256, 10);
    t.writeUInt16LE(3, 12);
    t.writeUInt32LE(1, 14);
    t.writeUInt16LE(100, 18);
    t.writeUInt16LE(257, 22);
    t.writeUInt16LE(4, 24);
    t.writeUInt32LE(1, 26);
    t.writeUInt32LE(200, 30);
    t.writeUInt32LE(0, 34);
    expect(sniff(t)).toMatchObject({ mime: 'image/tiff', width: 100, height: 200, pages: 1 });
  });
});

describe('decodeText', () => {
  it('decodes UTF-8 and Windows-1252, refuses binary garbage', () => {
    expect(decodeText(Buffer.from('Grüße', 'utf8'))).toEqual({ text: 'Grüße', charset: 'utf-8' });
    expect(decodeText(Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]))).toEqual({ text: 'Grüße', charset: 'windows-1252' });
    expect(decodeText(Buffer.from([0xff, 0x00, 0x01, 0x02, 0xc3]))).toBeNull();
  });
});
