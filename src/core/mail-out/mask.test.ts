import { describe, expect, it } from 'vitest';
import { maskEmail, maskEmailsInText } from './mask.ts';

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('maria.muster@example.org')).toBe('m***@example.org');
    expect(maskEmail('Maria Muster <maria@example.org>')).toBe('m***@example.org');
    expect(maskEmail('ä@b.de')).toBe('ä***@b.de');
    expect(maskEmail('kein-adresse')).toBe('***');
  });
  it('masks addresses inside SMTP answers', () => {
    expect(maskEmailsInText('550 5.1.1 <maria@example.org>: Recipient address rejected')).toBe('550 5.1.1 <m***@example.org>: Recipient address rejected');
    expect(maskEmailsInText('no address here')).toBe('no address here');
  });
});
