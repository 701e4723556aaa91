import { afterAll, describe, expect, it } from 'vitest';
import { startLlmStub, type LlmStub } from '../../../test/llm-stub/server.ts';
import { phraseWithLlm } from './llm.ts';
import { checkSentence, indexSources, numbersOf, splitSentences, verifyText } from './verify.ts';

const SOURCE = 'Reisepass beantragen\nDen Reisepass beantragen Sie persönlich im Bürgerbüro. Mitzubringen sind ein biometrisches Passfoto und der alte Pass. Die Gebühr beträgt 70,00 Euro, für Personen unter 24 Jahren 37,50 Euro. Die Bearbeitung dauert etwa 3 bis 4 Wochen.';

describe('sentence verification', () => {
  it('splits sentences without breaking abbreviations', () => {
    expect(splitSentences('Bringen Sie z. B. ein Foto mit. Die Gebühr beträgt ca. 37,50 Euro! Fertig?')).toEqual([
      'Bringen Sie z. B. ein Foto mit.',
      'Die Gebühr beträgt ca. 37,50 Euro!',
      'Fertig?',
    ]);
  });
  it('normalises numbers and amounts', () => {
    expect(numbersOf('70,00 Euro, 37,50 €, 1.234,50, 08:00 Uhr, 3 Wochen')).toEqual(['70', '37.5', '1234.5', '8:00', '3']);
  });
  it('accepts paraphrases that stay in the sources and rejects invented numbers', () => {
    const src = indexSources([SOURCE]);
    expect(checkSentence('Den Reisepass beantragen Sie persönlich im Bürgerbüro.', src).ok).toBe(true);
    expect(checkSentence('Für Personen unter 24 Jahren beträgt die Gebühr 37,5 Euro.', src).ok).toBe(true);
    const bad = checkSentence('Die Gebühr beträgt 99 Euro.', src);
    expect(bad.ok).toBe(false);
    expect(bad.unknownNumbers).toEqual(['99']);
    expect(checkSentence('Sie können den Pass auch per Drohne zustellen lassen, kostenlos und sofort.', src).ok).toBe(false);
  });
  it('drops only the unverifiable sentences', () => {
    const { kept } = verifyText('Den Reisepass beantragen Sie im Bürgerbüro. Die Gebühr beträgt 12 Euro.', [SOURCE]);
    expect(kept).toEqual(['Den Reisepass beantragen Sie im Bürgerbüro.']);
  });
});

describe('phraseWithLlm against the local stub', () => {
  const stubs: LlmStub[] = [];
  afterAll(async () => {
    for (const s of stubs) await s.close();
  });
  const cfg = (baseUrl: string) => ({ LOTSE_LLM_BASE_URL: baseUrl, LOTSE_LLM_MODEL: 'stub', LOTSE_LLM_API_KEY: 'k', LOTSE_LLM_TIMEOUT_MS: 3000 });
  const passages = [{ title: 'Reisepass beantragen', text: SOURCE }];

  it('uses a faithful answer', async () => {
    const s = await startLlmStub('faithful');
    stubs.push(s);
    const r = await phraseWithLlm(cfg(s.baseUrl), 'Wie bekomme ich einen Reisepass?', passages);
    expect(r.status).toBe('used');
    expect(s.requests[0]!.messages[0]!.role).toBe('system');
    expect(s.requests[0]!.messages[1]!.content).toContain('QUELLEN');
  });
  it('drops the invented fee of a hallucinating model', async () => {
    const s = await startLlmStub('hallucinating');
    stubs.push(s);
    const r = await phraseWithLlm(cfg(s.baseUrl), 'Was kostet ein Reisepass?', passages);
    expect(r.status).toBe('used');
    if (r.status === 'used') {
      expect(r.text).not.toContain('999');
      expect(r.dropped).toBe(1);
    }
  });
  it('falls back on garbage, down and slow endpoints within the budget', async () => {
    const g = await startLlmStub('garbage');
    const d = await startLlmStub('down');
    const sl = await startLlmStub('slow', { slowMs: 10_000 });
    stubs.push(g, d, sl);
    expect(await phraseWithLlm(cfg(g.baseUrl), 'x Reisepass', passages)).toMatchObject({ status: 'fallback', reason: 'garbage' });
    expect(await phraseWithLlm(cfg(d.baseUrl), 'x Reisepass', passages)).toMatchObject({ status: 'fallback', reason: 'down' });
    const t0 = Date.now();
    expect(await phraseWithLlm({ ...cfg(sl.baseUrl), LOTSE_LLM_TIMEOUT_MS: 60_000 }, 'x Reisepass', passages)).toMatchObject({ status: 'fallback', reason: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(3500);
  });
});
