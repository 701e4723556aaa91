// E-mail triage on the 12 synthetic dev mails of ../shared/data/mail/ (npm run bench:mail).
// Runs the real CLI (`lotse mail triage FILE... --json`) on a fresh data directory, writes
// NN.actual.json beside copies of NN.expected.json in a temp dir and scores with
// ../shared/tools/score_mail.mjs. The mails are development samples: rules are general, no
// per-file answers.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLine, writeSection } from './lib/report.mjs';

const ROOT = join(import.meta.dirname, '..');
const MAIL = join(ROOT, '..', 'shared', 'data', 'mail');
const SCORER = join(ROOT, '..', 'shared', 'tools', 'score_mail.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bench-mail-'));
const emls = readdirSync(MAIL).filter((f) => f.endsWith('.eml')).sort();
for (const f of readdirSync(MAIL).filter((f) => f.endsWith('.expected.json'))) copyFileSync(join(MAIL, f), join(dir, f));

const t0 = performance.now();
const out = execFileSync(process.execPath, [join(ROOT, 'bin', 'lotse.mjs'), 'mail', 'triage', ...emls.map((f) => join(MAIL, f)), '--json'], {
  cwd: ROOT,
  encoding: 'utf8',
  env: { ...process.env, LOTSE_DATA_DIR: join(dir, 'data'), LOTSE_LOG_LEVEL: 'silent', DATABASE_URL: '' },
});
const seconds = (performance.now() - t0) / 1000;
const lines = out.trim().split('\n').map((l) => JSON.parse(l));
for (const l of lines) writeFileSync(join(dir, l.file.replace(/\.eml$/, '.actual.json')), JSON.stringify(l, null, 2));
const r = JSON.parse(execFileSync(process.execPath, [SCORER, dir, '--json'], { encoding: 'utf8' }));

const pct = (x) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);
const md = `## mail — E-Mail-Triage (12 synthetische Entwicklungs-Mails)

Daten: \`../shared/data/mail/\` (erfundene Nachrichten, keine echten Personen). Aufruf wie im Betrieb: \`lotse mail triage FILE.eml... --json\` auf frischer Datenbank (kein trainiertes Mail-Modell → Regeln + Stichwortliste), bewertet mit \`node ../shared/tools/score_mail.mjs\`. Maschine: ${machineLine()}.

| Feld | richtig / bewertet | Anteil |
|---|---:|---:|
${Object.entries(r.perField)
  .filter(([, v]) => v.scored)
  .map(([k, v]) => `| ${k} | ${v.correct}/${v.scored} | ${pct(v.accuracy)} |`)
  .join('\n')}
| **alle Felder** | ${r.overall.correct}/${r.overall.scored} | ${pct(r.overall.accuracy)} |
| **Nachrichten komplett richtig** | ${r.exactMessage.correct}/${r.exactMessage.total} | ${pct(r.exactMessage.accuracy)} |

Laufzeit des ganzen CLI-Aufrufs (Start, Migration der leeren Datenbank, 12 Mails): ${seconds.toFixed(1)} s.
${r.failures.length ? `\nFehler:\n${r.failures.map((f) => `- ${f.name}: ${f.wrong.map((w) => `${w.field} erwartet ${JSON.stringify(w.expected)}, erhalten ${JSON.stringify(w.actual)}`).join('; ')}`).join('\n')}\n` : ''}
Ehrlich: 12 Mails sind eine Entwicklungsstichprobe, an der die Regeln entstanden sind – sie belegen die Mechanik (Zeichensätze, kodierte Wörter, HTML, Antworten, Abwesenheitsnotizen, Unzustellbar-Meldungen, E-Rechnung im Anhang, Phishing-Merkmale), nicht die Trefferquote auf echter Post. Für die Kategorien fehlt ein gelabelter Mail-Bestand; sobald eine Kommune Beispiele hat, ersetzt ein mit \`lotse triage train --model mail\` trainiertes Modell die Stichwortliste.
`;
writeSection('mail', md);
console.log(md);
