import type { AiSystemInfo } from '../../../core/module.ts';

/** Entries for the public "Über die KI" page and the AI register (the mailroom module lists them). */
export const TRIAGE_AI_SYSTEMS: AiSystemInfo[] = [
  {
    id: 'mailroom.triage',
    name: 'Zuordnung eingehender Nachrichten',
    purpose: 'Schlägt für Meldungen, E-Mails und Briefe die zuständige Stelle vor; ordnet nur automatisch zu, wenn die erwartete Trefferquote mindestens 95 % beträgt, sonst prüft ein Mensch.',
    technique: 'Kalibrierte logistische Regression auf Wortstämmen und Zeichenfolgen (ohne LLM), Schwellen je Kategorie; für E-Mails vorab Regeln (Abwesenheitsnotiz, Unzustellbar, E-Rechnung, Phishing-Merkmale, Kassenzeichen)',
    humanOversight: 'Unsichere Nachrichten gehen in die Prüfwarteschlange; jede Zuordnung ist korrigierbar, Korrekturen werden Trainingsbeispiele; Modelle sind versioniert und zurücksetzbar.',
  },
];
