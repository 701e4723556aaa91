import { describe, expect, it } from 'vitest';
import { layoutText, mapLimit, parseTsv, rotatePgm } from './ocr.ts';

describe('OCR layout', () => {
  it('joins label and value of a skewed row and keeps rows apart', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      // a long line in block 1 gives the skew: 30 px down over 1500 px
      '5\t1\t1\t1\t1\t1\t100\t100\t200\t30\t95\tPositionssumme',
      '5\t1\t1\t1\t1\t2\t1600\t130\t100\t30\t95\t473,00',
      // label in block 2, value in block 3, 30 px lower at the right because of the skew
      '5\t1\t2\t1\t1\t1\t100\t200\t200\t30\t95\tBruttosumme',
      '5\t1\t3\t1\t1\t1\t1600\t231\t100\t30\t95\t529,87',
      '5\t1\t2\t1\t2\t1\t100\t260\t200\t30\t95\tZahlbetrag',
      '5\t1\t2\t1\t2\t2\t1600\t290\t100\t30\t95\t529,87',
      '5\t1\t2\t1\t3\t1\t100\t320\t200\t30\t95\tSeite',
      '5\t1\t2\t1\t3\t2\t1600\t350\t100\t30\t95\t1/2',
    ].join('\n');
    const text = layoutText(parseTsv(tsv));
    expect(text.split('\n')).toEqual(['Positionssumme    473,00', 'Bruttosumme    529,87', 'Zahlbetrag    529,87', 'Seite    1/2']);
  });

  it('rotates PGM images', () => {
    const pgm = Buffer.concat([Buffer.from('P5\n3 2\n255\n'), Buffer.from([1, 2, 3, 4, 5, 6])]);
    const r90 = rotatePgm(pgm, 90);
    expect(r90.subarray(0, 11).toString()).toBe('P5\n2 3\n255\n');
    expect([...r90.subarray(11)]).toEqual([4, 1, 5, 2, 6, 3]);
    expect([...rotatePgm(pgm, 180).subarray(11)]).toEqual([6, 5, 4, 3, 2, 1]);
    expect([...rotatePgm(rotatePgm(pgm, 90), 270).subarray(11)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('mapLimit keeps order and limits concurrency', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 3, 2], 2, async (x) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, x));
      running--;
      return x * 2;
    });
    expect(out).toEqual([10, 2, 6, 4]);
    expect(peak).toBe(2);
  });
});
