/** Synthetic labelled messages for tests (no real texts, no personal data). */
export function syntheticRows(n = 150): { id: string; subject: string | null; text: string; category: string }[] {
  const vocab: Record<string, string[]> = {
    abfall: ['Sperrmüll an der Ecke', 'Matratze abgestellt', 'Müllsäcke liegen herum', 'altes Sofa', 'Hausmüll neben Containern'],
    parken: ['Falschparker auf dem Gehweg', 'Einfahrt zugeparkt', 'parkt im Halteverbot', 'Auto in der Feuerwehrzufahrt', 'parkt auf dem Radweg'],
    laerm: ['laute Musik nachts', 'Lärm aus der Gaststätte', 'Party bis drei Uhr', 'Hund bellt ständig laut', 'Baulärm am Sonntag'],
  };
  const cats = Object.keys(vocab);
  return Array.from({ length: n }, (_, i) => {
    const c = cats[i % cats.length]!;
    return { id: `s${i}`, subject: null, text: `${vocab[c]![i % 5]}, seit ${(i % 6) + 1} Tagen`, category: c };
  });
}
