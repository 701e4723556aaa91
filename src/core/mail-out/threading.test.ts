import { describe, expect, it } from 'vitest';
import { cleanMessageId, cleanReferences, MAX_REFERENCES, replySubject, replyThread } from './threading.ts';

describe('reply threading', () => {
  it('cleanMessageId: brackets and space removed; header breaks, spaces, brackets inside or overlong ids refused', () => {
    expect(cleanMessageId(' <a.b-1@example.org> ')).toBe('a.b-1@example.org');
    expect(cleanMessageId('a@b')).toBe('a@b');
    expect(cleanMessageId('a@b\r\nBcc: x@y')).toBeNull();
    expect(cleanMessageId('a b@c')).toBeNull();
    expect(cleanMessageId('<a<b@c>')).toBeNull();
    expect(cleanMessageId('ä@example.org')).toBeNull();
    expect(cleanMessageId(`${'x'.repeat(251)}@e`)).toBeNull();
    expect(cleanMessageId('')).toBeNull();
    expect(cleanMessageId(null)).toBeNull();
  });

  it('replyThread: In-Reply-To is the parent, References its chain plus the parent (RFC 5322 3.6.4)', () => {
    expect(replyThread({ messageId: '<p@x>', references: ['r1@x', 'r2@x'], inReplyTo: 'r2@x' })).toEqual({ inReplyTo: 'p@x', references: ['r1@x', 'r2@x', 'p@x'] });
    // No References: the parent's In-Reply-To starts the chain.
    expect(replyThread({ messageId: 'p@x', references: [], inReplyTo: 'q@x' })).toEqual({ inReplyTo: 'p@x', references: ['q@x', 'p@x'] });
    expect(replyThread({ messageId: 'p@x' })).toEqual({ inReplyTo: 'p@x', references: ['p@x'] });
    // A parent without (valid) Message-ID: no In-Reply-To, the chain is kept.
    expect(replyThread({ messageId: null, references: ['r1@x'] })).toEqual({ references: ['r1@x'] });
    expect(replyThread({ messageId: 'kaputt id' })).toEqual({ references: [] });
  });

  it('cleanReferences: distinct, and a long chain keeps its root and the newest ids', () => {
    expect(cleanReferences(['a@x', '<a@x>', 'b@x', 'bad id'])).toEqual(['a@x', 'b@x']);
    const long = Array.from({ length: 50 }, (_, i) => `m${i}@x`);
    const kept = cleanReferences(long);
    expect(kept).toHaveLength(MAX_REFERENCES);
    expect(kept[0]).toBe('m0@x');
    expect(kept.at(-1)).toBe('m49@x');
    expect(kept[1]).toBe(`m${50 - MAX_REFERENCES + 1}@x`);
  });

  it('replySubject: AW: only when no reply prefix is there yet', () => {
    expect(replySubject('Reisepass')).toBe('AW: Reisepass');
    expect(replySubject('AW: Reisepass')).toBe('AW: Reisepass');
    expect(replySubject('Re: Reisepass')).toBe('Re: Reisepass');
    expect(replySubject('RE[2]: Reisepass')).toBe('RE[2]: Reisepass');
    expect(replySubject('Antw: Reisepass')).toBe('Antw: Reisepass');
    expect(replySubject('aw : Reisepass')).toBe('aw : Reisepass');
    expect(replySubject('WG: Reisepass')).toBe('AW: WG: Reisepass');
    expect(replySubject('Reklamation')).toBe('AW: Reklamation');
    expect(replySubject('Area: Nord')).toBe('AW: Area: Nord');
    expect(replySubject('  ')).toBe('AW: Ihre Nachricht');
  });
});
