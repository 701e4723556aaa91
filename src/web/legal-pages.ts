/**
 * The legal pages (Impressum, Datenschutz, Barrierefreiheit): titles and default texts. A leaf module so that
 * the public pages (`pages.tsx`) and the staff settings (`staff/`) share it without an import cycle.
 * Default texts until the town fills them in the admin settings.
 */
export const LEGAL_PAGES = {
  impressum: { title: 'Impressum', placeholder: 'Das Impressum wird von der Stadtverwaltung in den Einstellungen gepflegt (Platzhalter).' },
  datenschutz: {
    title: 'Datenschutzerklärung',
    placeholder:
      'Die Datenschutzerklärung wird von der Stadtverwaltung in den Einstellungen gepflegt (Platzhalter). Lotse setzt keine Tracking-Werkzeuge und keine Skripte Dritter ein; Cookies dienen nur der Anmeldung, der Sprachwahl und dem Schutz vor Missbrauch.',
  },
  barrierefreiheit: {
    title: 'Erklärung zur Barrierefreiheit',
    placeholder:
      'Dieses Angebot soll die Anforderungen der BITV 2.0 / WCAG 2.1 AA erfüllen. Barrieren können Sie der Stadtverwaltung melden. Die Erklärung wird in den Einstellungen gepflegt (Platzhalter).',
  },
} as const;
