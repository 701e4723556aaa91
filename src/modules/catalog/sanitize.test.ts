import { describe, expect, it } from 'vitest';
import { sanitizeServiceHtml, toPlainLine, toPlainLines, toPlainText } from './sanitize.ts';

describe('plain text of untrusted catalog fields', () => {
  it('removes tags, script content and event handlers; decodes entities', () => {
    expect(toPlainLine('<b>Hund</b> anmelden<script>alert(1)</script>')).toBe('Hund anmelden');
    expect(toPlainLine('Ge<b>bühr</b> &amp; Steuer &euro; &#8364; &quot;x&quot;')).toBe('Gebühr & Steuer € € "x"');
    expect(toPlainLine('<img src=x onerror=alert(1)>Pass')).toBe('Pass');
    expect(toPlainLine('<a href="javascript:alert(1)">Link</a>')).toBe('Link');
    expect(toPlainLine('<style>b{}</style><iframe src="//x"></iframe>Titel')).toBe('Titel');
  });

  it('cleans markup that was entity-encoded once', () => {
    expect(toPlainLine('&lt;script&gt;alert(1)&lt;/script&gt;Ausweis &lt;b&gt;neu&lt;/b&gt;')).toBe('Ausweis neu');
  });

  it('keeps ordinary text with < and > and numbers', () => {
    expect(toPlainLine('Kinder < 6 Jahre, Gewicht > 20 kg')).toBe('Kinder < 6 Jahre, Gewicht > 20 kg');
    expect(toPlainLine('Hund an- & abmelden')).toBe('Hund an- & abmelden');
    expect(toPlainText('46,00 € ab 24 Jahren\n27,60 € unter 24')).toBe('46,00 € ab 24 Jahren\n27,60 € unter 24');
  });

  it('keeps paragraphs and list items as lines in multi-line fields, one line in titles', () => {
    expect(toPlainText('<p>46 Euro</p><ul><li>erm&auml;&szlig;igt</li><li>frei</li></ul>')).toBe('46 Euro\n• ermäßigt\n• frei');
    expect(toPlainLine('<p>Zeile 1</p><p>Zeile 2</p>')).toBe('Zeile 1 Zeile 2');
    expect(toPlainText('<p>Gebühr\r\n</p><ul>\n<li>\nbefristet: 600 Euro</li>\n<li>\nweiteres Fahrzeug</li></ul>')).toBe('Gebühr\n• befristet: 600 Euro\n• weiteres Fahrzeug');
    expect(toPlainLines(['<b>Pass</b>', '<script>x</script>', ' Foto '])).toEqual(['Pass', 'Foto']);
  });

  it('the description keeps its allowed tags', () => {
    expect(sanitizeServiceHtml('<p onclick="x()"><b>fett</b><script>x</script></p>')).toBe('<p><b>fett</b></p>');
  });
});
