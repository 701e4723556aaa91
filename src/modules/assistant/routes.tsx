/** Assistant pages (chat, widget, handover, staff review) and API. No SQL here. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { can, requirePermission, userActor } from '../../core/auth/index.ts';
import { clientIp } from '../../core/auth/client-ip.ts';
import { hitRateLimit, rateLimitKey } from '../../core/auth/rate-limit.ts';
import type { AppContext } from '../../core/context.ts';
import { AppError, isAppError } from '../../core/errors.ts';
import type { AppRouter } from '../../core/http/app.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { Checkbox, CsrfField, Notice, RadioGroup, Submit, TableHead, TextArea, TextField } from '../../web/components.tsx';
import { renderPage } from '../../web/layout.tsx';
import { askQuestion } from './ask-question.ts';
import { MAX_QUESTION_CHARS } from './classify.ts';
import { answerSegments, type AnswerSegment } from './compose.ts';
import { recordFeedback } from './record-feedback.ts';
import { listConversationTurns, type QuestionRow } from './repository.ts';
import { HANDOVER_RETENTION_DAYS, requestHandover } from './request-handover.ts';
import { addSynonymFromReview, completeHandover, getReviewOverview, markReviewed, REVIEW_WEAK_BELOW, type EmbeddingsOverview } from './review-questions.ts';

/** Requests per IP and minute for the public ask endpoints. */
const ASK_LIMIT = 30;

async function limitAsk(c: Context<AppEnv>) {
  const r = await hitRateLimit(c.var.ctx, rateLimitKey('assistant:ip', clientIp(c)), ASK_LIMIT, 60);
  if (!r.allowed) {
    c.header('retry-after', String(r.retryAfterSeconds));
    throw new AppError('rate_limited', 'Zu viele Fragen in kurzer Zeit. Bitte warten Sie eine Minute.');
  }
}

// ---------------------------------------------------------------------------- API
const SourceSchema = z.object({ serviceId: z.string(), title: z.string(), url: z.string().nullable() }).openapi('AssistantSource');
const AskBody = z
  .object({
    question: z
      .string({ error: 'Bitte geben Sie eine Frage als Text an.' })
      .max(20_000, 'Die Nachricht ist viel zu lang (höchstens 20.000 Zeichen; berücksichtigt werden ohnehin nur die ersten 1.000).')
      .openapi({ example: 'Was kostet ein Reisepass?', description: 'Längere Fragen als 1.000 Zeichen werden gekürzt beantwortet (truncated: true, Hinweis in der Antwort).' }),
    lang: z.enum(['de', 'en']).default('de'),
    conversationId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).nullable().optional(),
    easy: z.boolean().optional().openapi({ description: 'Einfache Sprache, wo vorhanden' }),
    channel: z.enum(['api', 'web', 'widget']).optional(),
  })
  .openapi('AssistantAskRequest');
const AskResponse = z
  .object({
    answer: z.string(),
    refused: z.boolean(),
    confidence: z.number().min(0).max(1),
    sources: z.array(SourceSchema),
    conversationId: z.string(),
    questionId: z.string().nullable(),
    refusalReason: z.string().nullable(),
    piiRemoved: z.array(z.string()),
    question: z.string().openapi({ description: 'Die Frage, wie gespeichert (persönliche Daten entfernt)' }),
    usedEasyLanguage: z.boolean(),
    followUp: z.boolean(),
    truncated: z.boolean().openapi({ description: 'Nur der Anfang der Frage (1.000 Zeichen) wurde verwendet; die Antwort beginnt mit einem Hinweis.' }),
    answerLines: z
      .array(z.array(z.object({ text: z.string(), lang: z.literal('de').optional() })))
      .openapi({ description: 'Die Antwort zeilenweise; Teile mit lang "de" sind deutscher Quelltext in einer englischen Antwort.' }),
    aiNotice: z.string(),
  })
  .openapi('AssistantAskResponse');

const askRoute = createRoute({
  method: 'post',
  path: '/assistant/ask',
  tags: ['Assistent'],
  summary: 'Frage an den KI-Assistenten (Antwort mit Quellen oder begründete Ablehnung)',
  request: { body: { content: { 'application/json': { schema: AskBody } }, required: true } },
  responses: {
    200: { description: 'Antwort oder Ablehnung', content: { 'application/json': { schema: AskResponse } } },
    422: { description: 'Ungültige Eingabe' },
    429: { description: 'Zu viele Anfragen' },
  },
});

const feedbackRoute = createRoute({
  method: 'post',
  path: '/assistant/feedback',
  tags: ['Assistent'],
  summary: 'Bewertung einer Antwort (Daumen hoch/runter, optionaler Kommentar)',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({ questionId: z.string(), rating: z.enum(['up', 'down']), comment: z.string().max(1000).nullable().optional() }).openapi('AssistantFeedback'),
        },
      },
      required: true,
    },
  },
  responses: { 201: { description: 'Gespeichert', content: { 'application/json': { schema: z.object({ id: z.string() }) } } } },
});

const aiNotice = (lang: 'de' | 'en') =>
  lang === 'en'
    ? 'You are talking to an AI system (automated information, EU AI Act Art. 50). Answers come from the town’s service pages; please check important details in the source. Do not enter personal data.'
    : 'Sie sprechen mit einem KI-System (automatische Auskunft, EU-KI-Verordnung Art. 50). Die Antworten stammen aus den Leistungsbeschreibungen der Stadt; prüfen Sie wichtige Angaben in der Quelle. Bitte geben Sie keine persönlichen Daten ein.';

// ---------------------------------------------------------------------------- page parts
const URL_RE = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/g;

/** Phone numbers of the crisis answer (Telefonseelsorge, Notruf): tappable on phones. */
const CRISIS_TEL_RE = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])|\b(0800 111 0 111|0800 111 0 222|112)\b/g;

const LABELLED_LINK = /^([^:]{2,60}): (?:(.+?) – )?(https?:\/\/\S+)$/;

/**
 * Renders answer text: one paragraph per line (text is escaped by JSX). "Label: URL" lines become
 * a link with a readable text; other URLs are linked as they are.
 */
function AnswerText({ text, target, lang = 'de', tel = false }: { text: string; target?: string; lang?: 'de' | 'en'; tel?: boolean }) {
  const en = lang === 'en';
  return (
    <div class="lotse-chat__text">
      {text.split('\n').map((line) => {
        const m = LABELLED_LINK.exec(line);
        if (m) {
          // In English answers a named link ("This might also fit: <title> – URL") shows a German title.
          return (
            <p class="kern-body">
              {m[2] ? `${m[1]}: ` : ''}
              <a class="kern-link" href={m[3]} target={target} lang={en && m[2] ? 'de' : undefined}>
                {m[2] ?? m[1]}
              </a>
            </p>
          );
        }
        // German source text inside an English answer gets lang="de" (compose.ts decides which parts).
        return <p class="kern-body">{answerSegments(line, lang).map((seg: AnswerSegment) => (seg.lang ? <span lang={seg.lang}>{linkify(seg.text, target, tel)}</span> : linkify(seg.text, target, tel)))}</p>;
      })}
    </div>
  );
}

function linkify(text: string, target?: string, tel = false): Child[] {
  const parts: Child[] = [];
  let last = 0;
  for (const u of text.matchAll(tel ? CRISIS_TEL_RE : URL_RE)) {
    parts.push(text.slice(last, u.index));
    parts.push(
      tel && u[2] ? (
        <a class="kern-link" href={`tel:${u[2].replace(/ /g, '')}`}>
          {u[2]}
        </a>
      ) : (
        <a class="kern-link" href={u[0]} target={target}>
          {u[0]}
        </a>
      ),
    );
    last = u.index! + u[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

interface TurnView {
  id: string | null;
  question: string;
  answer: string;
  refused: boolean;
  /** Refusal reason ('crisis' gets its own heading and tappable phone numbers). */
  reason: string | null;
  sources: { serviceId: string; title: string }[];
  lang: string;
}

const turnFromRow = (r: QuestionRow): TurnView => ({ id: r.id, question: r.question, answer: r.answer, refused: r.refused, reason: r.reason, sources: r.sources, lang: r.lang });

function Turn({ turn, csrf, conversationId, rated, target, ui = 'de' }: { turn: TurnView; csrf: string; conversationId: string; rated: boolean; target?: string; ui?: 'de' | 'en' }) {
  const en = ui === 'en';
  const crisis = turn.refused && turn.reason === 'crisis';
  return (
    <li class="lotse-chat__turn" id={turn.id ? `antwort-${turn.id}` : undefined}>
      <div class="lotse-chat__q">
        <span class="lotse-chat__who">{en ? 'Your question' : 'Ihre Frage'}</span>
        <p class="kern-body" lang={turn.lang}>
          {turn.question}
        </p>
      </div>
      <div class={`lotse-chat__a${turn.refused ? ' lotse-chat__a--refused' : ''}`}>
        <span class="lotse-chat__who">
          {en ? 'AI assistant' : 'KI-Assistent'}
          {crisis ? (en ? ' – help in a crisis' : ' – Hilfe in einer Krise') : turn.refused ? (en ? ' – no answer possible' : ' – keine Antwort möglich') : ''}
        </span>
        <AnswerText text={turn.answer} lang={turn.lang === 'en' ? 'en' : 'de'} tel={crisis} />
        {turn.sources.length ? (
          <div class="lotse-chat__sources">
            <p class="kern-body kern-body--bold">{en ? 'Sources (best first):' : 'Quellen (beste zuerst):'}</p>
            <ol>
              {turn.sources.map((s) => (
                <li>
                  <a class="kern-link" href={`/leistungen/${encodeURIComponent(s.serviceId)}`} target={target} lang={en ? 'de' : undefined}>
                    {s.title}
                  </a>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
        {turn.id && !rated ? (
          <form method="post" action="/assistent/bewertung" class="lotse-chat__feedback" data-feedback>
            <CsrfField token={csrf} />
            <input type="hidden" name="questionId" value={turn.id} />
            <input type="hidden" name="c" value={conversationId} />
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{en ? 'Was this answer helpful?' : 'War diese Antwort hilfreich?'}</legend>
              <div class="lotse-chat__feedback-row">
                <Submit label={en ? 'Yes, helpful' : 'Ja, hilfreich'} kind="secondary" size="small" name="rating" value="up" />
                <Submit label={en ? 'No' : 'Nein'} kind="secondary" size="small" name="rating" value="down" />
              </div>
              <details class="lotse-chat__comment">
                <summary>{en ? 'Add a comment (optional)' : 'Kommentar hinzufügen (optional)'}</summary>
                <TextArea id={`comment-${turn.id}`} name="comment" label={en ? 'Your comment (no personal data)' : 'Ihr Kommentar (ohne persönliche Daten)'} maxlength={1000} rows={2} class="" />
              </details>
            </fieldset>
          </form>
        ) : null}
      </div>
    </li>
  );
}

function Disclosure({ lang }: { lang: 'de' | 'en' }) {
  return (
    <div class="kern-alert kern-alert--info lotse-chat__notice" role="note">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--info" aria-hidden="true" />
        <span class="kern-title">{lang === 'en' ? 'AI system – no personal data, please' : 'KI-System – bitte keine persönlichen Daten'}</span>
      </div>
      <div class="kern-alert__body">
        <p class="kern-body">
          {aiNotice(lang)}{' '}
          {lang === 'en'
            ? 'Names, addresses, phone numbers, e-mail addresses, IBANs, dates of birth, tax IDs and ID card numbers are removed automatically before anything is stored.'
            : 'Namen, Adressen, Telefonnummern, E-Mail-Adressen, IBAN, Geburtsdaten, Steuer-IDs und Ausweisnummern werden vor dem Speichern automatisch entfernt.'}{' '}
          <a class="kern-link" href="/ki" target="_top">
            {lang === 'en' ? 'About the AI' : 'Mehr über die KI'}
          </a>
        </p>
      </div>
    </div>
  );
}

function AskForm({ csrf, conversationId, lang, easy, action, error }: { csrf: string; conversationId: string; lang: 'de' | 'en'; easy: boolean; action: string; error?: string }) {
  return (
    <form method="post" action={action} class="lotse-chat__form" id="assistant-form" data-conversation={conversationId}>
      <CsrfField token={csrf} />
      <input type="hidden" name="c" value={conversationId} />
      <input type="hidden" name="lang" value={lang} />
      <TextArea
        id="assistant-question"
        name="question"
        label={lang === 'en' ? 'Your question' : 'Ihre Frage'}
        hint={lang === 'en' ? `At most ${MAX_QUESTION_CHARS} characters. Please do not enter personal data.` : `Höchstens ${MAX_QUESTION_CHARS.toLocaleString('de-DE')} Zeichen. Bitte keine persönlichen Daten eingeben.`}
        error={error}
        announceError
        rows={3}
        maxlength={MAX_QUESTION_CHARS}
        required
        class=""
      />
      <Checkbox id="assistant-easy" name="easy" value="1" checked={easy} label={lang === 'en' ? 'Einfache Sprache (plain German), where available' : 'Einfache Sprache, wo vorhanden'} />
      <Submit label={lang === 'en' ? 'Ask' : 'Frage senden'} />
    </form>
  );
}

const newId = () => crypto.randomUUID().replace(/-/g, '');

async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}

const validConv = (v: string | undefined) => (v && /^[A-Za-z0-9_-]{16,64}$/.test(v) ? v : null);

// ---------------------------------------------------------------------------- mount
export function mountAssistantRoutes(app: AppRouter, api: AppRouter, _ctx: AppContext): void {
  api.openapi(askRoute, async (c) => {
    await limitAsk(c);
    const body = c.req.valid('json');
    const r = await askQuestion(c.var.ctx, { ...body, channel: body.channel ?? 'api' });
    return c.json(
      {
        answer: r.answer,
        refused: r.refused,
        confidence: r.confidence,
        sources: r.sources,
        conversationId: r.conversationId,
        questionId: r.questionId,
        refusalReason: r.refusalReason,
        piiRemoved: r.piiRemoved,
        question: r.redactedQuestion,
        usedEasyLanguage: r.usedEasyLanguage,
        followUp: r.followUp,
        truncated: r.truncated,
        answerLines: r.answer.split('\n').map((line) => answerSegments(line, body.lang)),
        aiNotice: aiNotice(body.lang),
      },
      200,
    );
  });

  api.openapi(feedbackRoute, async (c) => {
    await limitAsk(c);
    const r = await recordFeedback(c.var.ctx, c.req.valid('json'));
    return c.json(r, 201);
  });

  // Chat page: works without JavaScript (form POST → redirect → conversation shown again).
  app.get('/assistent', async (c) => {
    const { ctx, lang, csrfToken } = c.var;
    const conv = c.req.query('neu') ? null : validConv(c.req.query('c'));
    const turns = conv ? (await listConversationTurns(ctx.db, conv)).map(turnFromRow) : [];
    const conversationId = conv ?? newId();
    const rated = c.req.query('bewertet');
    const notice = c.req.query('hinweis');
    return renderPage(c, {
      title: lang === 'en' ? 'Ask the assistant' : 'Fragen an den Assistenten',
      demo: ctx.config.LOTSE_DEMO === 'on',
      head: <link rel="stylesheet" href="/static/app/assistant.css" />,
      scripts: ['/static/app/assistant.js'],
      children: (
        <div class="lotse-stack lotse-chat">
          <h1 class="kern-heading-large">{lang === 'en' ? 'Ask the assistant' : 'Fragen an den Assistenten'}</h1>
          <Disclosure lang={lang} />
          {notice === 'pii' ? <Notice kind="warning" title="Wir haben persönliche Daten aus Ihrer Frage entfernt. Bitte geben Sie keine persönlichen Daten ein." /> : null}
          {rated ? <Notice kind="success" title="Danke für Ihre Bewertung!" /> : null}
          <section aria-labelledby="verlauf-titel">
            <h2 id="verlauf-titel" class="kern-heading-medium">
              {lang === 'en' ? 'Conversation' : 'Gesprächsverlauf'}
            </h2>
            {turns.length === 0 ? (
              <p class="kern-body" id="assistant-empty">
                {lang === 'en'
                  ? 'Ask in your own words, e.g. “What does a passport cost?”. You can ask follow-up questions such as “and where do I go?”.'
                  : 'Fragen Sie in eigenen Worten, z. B. „Was kostet ein Reisepass?“. Nachfragen wie „und wo muss ich hin?“ beziehen sich auf das aktuelle Thema.'}
              </p>
            ) : null}
            <ol class="lotse-chat__log" id="assistant-log" aria-live="polite" aria-relevant="additions">
              {turns.map((t) => (
                <Turn turn={t} csrf={csrfToken} conversationId={conversationId} rated={rated === t.id} ui={lang} />
              ))}
            </ol>
          </section>
          <AskForm csrf={csrfToken} conversationId={conversationId} lang={lang} easy={c.req.query('einfach') === '1'} action="/assistent" />
          <p class="kern-body lotse-chat__links">
            <a class="kern-link" href={`/assistent/kontakt?c=${conversationId}`}>
              {lang === 'en' ? 'Talk to a person' : 'Mit einem Menschen sprechen'}
            </a>{' '}
            ·{' '}
            <a class="kern-link" href="/assistent?neu=1">
              {lang === 'en' ? 'New conversation' : 'Neues Gespräch beginnen'}
            </a>
          </p>
        </div>
      ),
    });
  });

  app.post('/assistent', async (c) => {
    await limitAsk(c);
    const f = await formFields(c);
    const lang = f.lang === 'en' ? 'en' : c.var.lang;
    const r = await askQuestion(c.var.ctx, { question: f.question ?? '', lang, conversationId: validConv(f.c), easy: f.easy === '1', channel: 'web' });
    const q = new URLSearchParams({ c: r.conversationId });
    if (f.easy === '1') q.set('einfach', '1');
    if (r.piiRemoved.length) q.set('hinweis', 'pii');
    return c.redirect(`/assistent?${q}#${r.questionId ? `antwort-${r.questionId}` : 'assistant-log'}`, 303);
  });

  app.post('/assistent/bewertung', async (c) => {
    const f = await formFields(c);
    await recordFeedback(c.var.ctx, { questionId: f.questionId, rating: f.rating, comment: f.comment || null });
    const conv = validConv(f.c);
    return c.redirect(`/assistent?${new URLSearchParams({ ...(conv ? { c: conv } : {}), bewertet: f.questionId ?? '' })}#antwort-${f.questionId}`, 303);
  });

  // Handover: callback request or message to a person.
  const handoverPage = (c: Context<AppEnv>, values: Record<string, string>, errors: Record<string, string>, done = false) => {
    const { csrfToken } = c.var;
    return renderPage(c, {
      title: 'Mit einem Menschen sprechen',
      head: <link rel="stylesheet" href="/static/app/assistant.css" />,
      children: done ? (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">Vielen Dank – Ihre Anfrage ist angekommen</h1>
          <Notice kind="success" title="Eine Mitarbeiterin oder ein Mitarbeiter meldet sich bei Ihnen, in der Regel innerhalb von zwei Werktagen." />
          <p class="kern-body">Ihre Angaben werden nach {HANDOVER_RETENTION_DAYS} Tagen automatisch gelöscht.</p>
          <p>
            <a class="kern-link" href="/assistent">
              Zurück zum Assistenten
            </a>
          </p>
        </div>
      ) : (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">Mit einem Menschen sprechen</h1>
          <p class="kern-body">
            Der Assistent konnte nicht helfen? Hinterlassen Sie einen Rückrufwunsch oder eine Nachricht. Wir fragen nur, was wir für die Antwort
            brauchen. Sie erreichen das {c.var.ctx.town.buergerbuero.name} auch direkt: Telefon {c.var.ctx.town.contact.phone}, E-Mail{' '}
            <a class="kern-link" href={`mailto:${c.var.ctx.town.contact.email}`}>
              {c.var.ctx.town.contact.email}
            </a>
            .
          </p>
          {Object.keys(errors).length ? <Notice kind="danger" title="Bitte prüfen Sie Ihre Angaben." /> : null}
          <form method="post" action="/assistent/kontakt" class="lotse-form" novalidate>
            <CsrfField token={csrfToken} />
            <input type="hidden" name="c" value={values.c ?? ''} />
            <RadioGroup
              name="kind"
              idBase="ho-kind"
              legend="Wie möchten Sie Antwort bekommen?"
              value={values.kind === 'message' ? 'message' : 'callback'}
              options={[
                { value: 'callback', label: 'Rückruf (Telefon)' },
                { value: 'message', label: 'Antwort per E-Mail' },
              ]}
            />
            <TextField id="ho-name" name="name" label="Name (freiwillig)" autocomplete="name" maxlength={100} value={values.name ?? ''} />
            <TextField
              id="ho-contact"
              name="contact"
              label="Telefonnummer oder E-Mail-Adresse"
              hint="Bei Rückruf die Telefonnummer, bei Antwort per E-Mail die E-Mail-Adresse."
              error={errors.contact}
              announceError
              required
              maxlength={200}
              value={values.contact ?? ''}
            />
            <TextField id="ho-time" name="preferredTime" label="Wann passt ein Rückruf? (freiwillig)" maxlength={100} value={values.preferredTime ?? ''} />
            <TextArea id="ho-message" name="message" label="Ihr Anliegen" error={errors.message} announceError rows={4} required maxlength={2000} value={values.message ?? ''} class="" />
            <Checkbox
              id="ho-consent"
              name="consent"
              value="1"
              required
              error={errors.consent}
              announceError
              label={`Ich bin einverstanden, dass die Stadt meine Angaben speichert, um mein Anliegen zu bearbeiten. Sie werden nach ${HANDOVER_RETENTION_DAYS} Tagen gelöscht.`}
            />
            <Submit label="Anfrage senden" />
          </form>
        </div>
      ),
    });
  };

  app.get('/assistent/kontakt', (c) => handoverPage(c, { c: validConv(c.req.query('c')) ?? '' }, {}));
  app.post('/assistent/kontakt', async (c) => {
    await limitAsk(c);
    const f = await formFields(c);
    const conv = validConv(f.c);
    let topic: string | null = null;
    if (conv) topic = (await listConversationTurns(c.var.ctx.db, conv, 5)).map((t) => t.topTitle).filter(Boolean).pop() ?? null;
    try {
      await requestHandover(c.var.ctx, { kind: f.kind, name: f.name || null, contact: f.contact ?? '', preferredTime: f.preferredTime || null, message: f.message ?? '', topic, consent: f.consent === '1' });
    } catch (e) {
      if (isAppError(e) && e.code === 'validation') {
        const errors = Object.fromEntries((e.details?.fields ?? []).map((x) => [x.field, x.message]));
        c.status(422);
        return handoverPage(c, f, errors);
      }
      throw e;
    }
    return handoverPage(c, {}, {}, true);
  });

  // Embeddable widget page (shown in an iframe by /static/app/widget.js on other sites).
  app.get('/assistent/widget', async (c) => {
    const { ctx } = c.var;
    const lang = c.req.query('lang') === 'en' ? 'en' : 'de';
    const conversationId = newId();
    // This page alone may be framed by any site; everything else keeps frame-ancestors 'self'.
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors *",
    );
    c.header('X-Frame-Options', '');
    return c.html(
      '<!doctype html>' +
        (
          <html lang={lang}>
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>{`${lang === 'en' ? 'Assistant' : 'Assistent'} – ${ctx.town.name}`}</title>
              <link rel="stylesheet" href="/static/kern/fonts/fira-sans.css" />
              <link rel="stylesheet" href="/static/kern/kern.min.css" />
              <link rel="stylesheet" href="/static/app.css" />
              <link rel="stylesheet" href="/static/app/assistant.css" />
              <script src="/static/app/assistant.js" defer />
            </head>
            <body class="lotse lotse-widget-page">
              <main class="lotse-chat lotse-chat--widget lotse-stack" id="inhalt" data-widget="1">
                <h1 class="kern-heading-small">
                  {lang === 'en' ? 'Assistant' : 'KI-Assistent'} · {ctx.town.name}
                </h1>
                <Disclosure lang={lang} />
                <ol class="lotse-chat__log" id="assistant-log" aria-live="polite" aria-relevant="additions" aria-label={lang === 'en' ? 'Conversation' : 'Gesprächsverlauf'} />
                <AskForm csrf="" conversationId={conversationId} lang={lang} easy={false} action="/assistent" />
                <p class="kern-body kern-body--small">
                  <a class="kern-link" href="/assistent/kontakt" target="_blank" rel="noopener">
                    {lang === 'en' ? 'Talk to a person (opens a new window)' : 'Mit einem Menschen sprechen (öffnet neues Fenster)'}
                  </a>
                </p>
              </main>
            </body>
          </html>
        ),
    );
  });

/** Staff review: state of the optional embeddings endpoint (semantic search) – counts only, no query texts. */
const EmbeddingsPanel = ({ e, timeZone }: { e: EmbeddingsOverview; timeZone: string }) => {
  const n = (x: number) => x.toLocaleString('de-DE');
  const fallbackTotal = e.fallbacks.reduce((a, f) => a + f.count, 0);
  return (
    <section aria-labelledby="emb-title" class="lotse-stack" data-embeddings={e.configured ? 'on' : 'off'}>
      <h2 id="emb-title" class="kern-heading-medium">
        Bedeutungssuche (Embeddings)
      </h2>
      {!e.configured ? (
        <p class="kern-body">
          Nicht eingerichtet: Die Suche und der Assistent arbeiten nur mit der Stichwortsuche (BM25). Einrichten mit <code>LOTSE_EMBEDDINGS_BASE_URL</code> (eigenes
          Embedding-Modell der Stadt).
        </p>
      ) : (
        <>
          <dl class="lotse-emb-dl">
            <dt>Status</dt>
            <dd>Eingerichtet</dd>
            <dt>Modell</dt>
            <dd>
              <code>{e.model}</code>
            </dd>
            <dt>Leistungen mit Vektor</dt>
            <dd>
              {n(e.embedded)} von {n(e.published)} veröffentlichten Leistungen
            </dd>
            <dt>Ohne aktuellen Vektor</dt>
            <dd>
              {n(e.missing)}
              {e.catalogChanged ? ' – der Katalog wurde seit der letzten Berechnung geändert; geänderte Leistungen werden beim nächsten Lauf (höchstens eine Minute) neu berechnet.' : ''}
            </dd>
            <dt>Suchanfragen seit dem Start dieser Instanz</dt>
            <dd>
              {n(e.queries)}, davon {n(e.used)} mit Bedeutungssuche ({n(e.cached)} aus dem Zwischenspeicher)
            </dd>
            <dt>Rückfälle auf die Stichwortsuche</dt>
            <dd>
              {fallbackTotal === 0 && e.skipped === 0
                ? 'keine'
                : `${n(fallbackTotal + e.skipped)}${e.lastFallbackAt ? `, zuletzt ${e.lastFallbackAt.toLocaleString('de-DE', { timeZone })}` : ''}`}
            </dd>
          </dl>
          {fallbackTotal + e.skipped > 0 ? (
            <div class="lotse-table-wrap">
              <table class="kern-table kern-table--small">
                <caption class="kern-sr-only">Rückfälle auf die Stichwortsuche nach Grund</caption>
                <TableHead columns={['Grund', 'Anzahl']} />
                <tbody class="kern-table__body">
                  {e.fallbacks.map((f) => (
                    <tr class="kern-table__row">
                      <td class="kern-table__cell">{f.label}</td>
                      <td class="kern-table__cell">{n(f.count)}</td>
                    </tr>
                  ))}
                  {e.skipped > 0 ? (
                    <tr class="kern-table__row">
                      <td class="kern-table__cell">Endpunkt nach wiederholten Fehlern kurz übersprungen</td>
                      <td class="kern-table__cell">{n(e.skipped)}</td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            </div>
          ) : null}
          <p class="kern-body kern-body--small">Gezählt werden nur Anzahlen je Grund, keine Suchtexte. Die Zähler beginnen bei jedem Neustart bei null.</p>
        </>
      )}
    </section>
  );
};

  // ------------------------------------------------------------------------ staff
  app.get('/verwaltung/assistent', requirePermission('assistant.review'), async (c) => {
    const { ctx, user, csrfToken } = c.var;
    const actor = userActor(user!);
    const o = await getReviewOverview(ctx, actor);
    const canSynonym = can(user!.roles, 'catalog.edit');
    const msg = c.req.query('ok');
    return renderPage(c, {
      title: 'Assistent: Durchsicht',
      area: 'staff',
      head: <link rel="stylesheet" href="/static/app/assistant.css" />,
      children: (
        <div class="lotse-stack">
          <h1 class="kern-heading-large">Assistent: Durchsicht</h1>
          {msg ? <Notice kind="success" title={msg === 'synonym' ? 'Synonym gespeichert – die Suche nutzt es sofort.' : msg === 'erledigt' ? 'Als erledigt markiert.' : 'Gespeichert.'} /> : null}
          <section aria-labelledby="ho-title" class="lotse-stack">
            <h2 id="ho-title" class="kern-heading-medium">
              Rückrufwünsche und Nachrichten ({o.handovers.length} offen)
            </h2>
            {o.handovers.length === 0 ? (
              <p class="kern-body">Keine offenen Anfragen.</p>
            ) : (
              <div class="lotse-table-wrap">
                <table class="kern-table">
                  <caption class="kern-sr-only">Offene Rückrufwünsche und Nachrichten</caption>
                  <TableHead columns={['Eingang', 'Art', 'Kontakt', 'Anliegen', 'Aktion']} />
                  <tbody class="kern-table__body">
                    {o.handovers.map((h) => (
                      <tr class="kern-table__row">
                        <td class="kern-table__cell">{h.createdAt.toLocaleString('de-DE', { timeZone: ctx.town.timeZone })}</td>
                        <td class="kern-table__cell">{h.kind === 'callback' ? 'Rückruf' : 'E-Mail'}</td>
                        <td class="kern-table__cell">
                          {h.name ? `${h.name}, ` : ''}
                          {h.contact}
                          {h.preferredTime ? ` (${h.preferredTime})` : ''}
                        </td>
                        <td class="kern-table__cell">
                          {h.topic ? <strong>{h.topic}: </strong> : null}
                          {h.message}
                        </td>
                        <td class="kern-table__cell">
                          <form method="post" action={`/verwaltung/assistent/anfragen/${h.id}/erledigt`}>
                            <CsrfField token={csrfToken} />
                            <Submit label="Erledigt" kind="secondary" size="small" />
                          </form>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <EmbeddingsPanel e={o.embeddings} timeZone={ctx.town.timeZone} />
          <section aria-labelledby="q-title" class="lotse-stack">
            <h2 id="q-title" class="kern-heading-medium">
              Fragen zur Durchsicht
            </h2>
            <p class="kern-body">
              Abgelehnte, unsichere (Konfidenz unter {REVIEW_WEAK_BELOW.toFixed(2).replace('.', ',')}) und schlecht bewertete Fragen der letzten 90 Tage, nach Thema gruppiert. Persönliche Daten
              wurden vor dem Speichern entfernt.{' '}
              {o.llmFallbacks ? `Bei ${o.llmFallbacks} Antworten musste das Sprachmodell auf die Textbausteine zurückfallen (siehe Markierung).` : ''}
            </p>
            {o.groups.length === 0 ? <p class="kern-body">Nichts zu tun.</p> : null}
            {o.groups.map((g, gi) => (
              <div class="kern-card lotse-review-group">
                <div class="kern-card__container">
                  <div class="kern-card__header">
                    <h3 class="kern-title">
                      {g.topic} ({g.questions.length})
                    </h3>
                  </div>
                  <div class="kern-card__body lotse-stack">
                    <ul class="lotse-review-list">
                      {g.questions.map((q) => (
                        <li>
                          <span lang={q.lang}>„{q.question}“</span>{' '}
                          <span class="kern-body--small">
                            ({q.createdAt.toLocaleDateString('de-DE', { timeZone: ctx.town.timeZone })}, Konfidenz {q.confidence.toFixed(2).replace('.', ',')}
                            {q.rating === 'down' ? ', negativ bewertet' : q.rating === 'up' ? ', positiv bewertet' : ''}
                            {q.comment ? `, Kommentar: „${q.comment}“` : ''}
                            {q.llmStatus?.startsWith('fallback') ? `, LLM-Rückfall: ${q.llmDetail ?? q.llmStatus}` : ''})
                          </span>
                        </li>
                      ))}
                    </ul>
                    {!g.improvable ? null : canSynonym ? (
                      <form method="post" action="/verwaltung/assistent/synonym" class="lotse-review-synonym">
                        <CsrfField token={csrfToken} />
                        <TextField id={`syn-term-${gi}`} name="term" label="Wort der Bürgerinnen und Bürger" required maxlength={100} />
                        <TextField id={`syn-exp-${gi}`} name="expansion" label="soll finden (Begriff aus dem Katalog)" required maxlength={200} value={g.serviceId ? g.topic : ''} />
                        <Submit label="Synonym hinzufügen" kind="secondary" size="small" />
                      </form>
                    ) : (
                      <p class="kern-body">
                        <a class="kern-link" href="/verwaltung/katalog">
                          Synonym oder Leistungstext im Katalog verbessern
                        </a>
                      </p>
                    )}
                    {g.serviceId ? (
                      <p class="kern-body">
                        <a class="kern-link" href={`/leistungen/${encodeURIComponent(g.serviceId)}`}>
                          Leistung „{g.topic}“ ansehen
                        </a>
                      </p>
                    ) : null}
                    <form method="post" action="/verwaltung/assistent/gesehen">
                      <CsrfField token={csrfToken} />
                      {g.questions.map((q) => (
                        <input type="hidden" name="ids" value={q.id} />
                      ))}
                      <Submit label="Als gesehen markieren" kind="tertiary" size="small" />
                    </form>
                  </div>
                </div>
              </div>
            ))}
          </section>
        </div>
      ),
    });
  });

  app.post('/verwaltung/assistent/anfragen/:id/erledigt', requirePermission('assistant.review'), async (c) => {
    await completeHandover(c.var.ctx, userActor(c.var.user!), c.req.param('id'));
    return c.redirect('/verwaltung/assistent?ok=erledigt', 303);
  });
  app.post('/verwaltung/assistent/gesehen', requirePermission('assistant.review'), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const raw = body.ids;
    const ids = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v));
    await markReviewed(c.var.ctx, userActor(c.var.user!), ids);
    return c.redirect('/verwaltung/assistent?ok=gesehen', 303);
  });
  app.post('/verwaltung/assistent/synonym', requirePermission('assistant.review'), async (c) => {
    const f = await formFields(c);
    await addSynonymFromReview(c.var.ctx, userActor(c.var.user!), f.term ?? '', f.expansion ?? '');
    return c.redirect('/verwaltung/assistent?ok=synonym', 303);
  });
}
