import { describe, expect, it } from 'vitest';
import type { Explanation } from '../triage/index.ts';
import { featureLabel, WhyList } from './why.tsx';

const why: Explanation = {
  category: 'abfall',
  features: [
    { feature: 'sperrmull', kind: 'word', weight: 1.234 },
    { feature: 'district: Neukölln', kind: 'meta', weight: 0.2 },
  ],
  against: [{ feature: 'gehweg', kind: 'word', weight: -0.4 }],
};

describe('WhyList', () => {
  it('renders features with direction, kind and German-formatted weight in an accessible table', () => {
    const html = String(<WhyList why={why} />);
    expect(html).toContain('<details');
    expect(html).toContain('Warum „abfall“?');
    expect(html).toContain('„sperrmull“');
    expect(html).toContain('+1,23');
    expect(html).toContain('Bezirk: Neukölln');
    expect(html).toContain('dagegen');
    expect(html).toContain('−0,40');
    expect(html).toContain('scope="col"');
    expect(html).toContain('<caption');
  });

  it('renders nothing without an explanation', () => {
    expect(String(<WhyList why={undefined} />)).toBe('');
    expect(String(<WhyList why={{ category: 'x', features: [], against: [] }} />)).toBe('');
  });

  it('labels metadata, form and words', () => {
    expect(featureLabel({ feature: 'district: Mitte', kind: 'meta', weight: 1 })).toBe('Bezirk: Mitte');
    expect(featureLabel({ feature: 'Text hat mehrere Zeilen', kind: 'form', weight: 1 })).toBe('Text hat mehrere Zeilen');
    expect(featureLabel({ feature: 'laute musik', kind: 'phrase', weight: 1 })).toBe('„laute musik“');
  });
});
