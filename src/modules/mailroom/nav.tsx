import type { Child, FC } from 'hono/jsx';
import type { Context } from 'hono';
import { can } from '../../core/auth/index.ts';
import type { AppEnv } from '../../core/http/env.ts';
import { renderPage } from '../../web/layout.tsx';

export type MailroomArea = 'list' | 'upload' | 'review' | 'mailboxes' | 'document' | 'reply';

const LINKS: { area: MailroomArea; href: string; label: string; configure?: boolean }[] = [
  { area: 'list', href: '/verwaltung/posteingang', label: 'Alle Dokumente' },
  { area: 'upload', href: '/verwaltung/posteingang/hochladen', label: 'Dateien hochladen' },
  { area: 'review', href: '/verwaltung/posteingang/pruefen', label: 'Prüfwarteschlange' },
  { area: 'mailboxes', href: '/verwaltung/posteingang/postfaecher', label: 'IMAP-Postfächer', configure: true },
];

/** Links between the mailroom pages; "IMAP-Postfächer" only with `mailroom.configure`. */
export const MailroomNav: FC<{ here: MailroomArea; canConfigure?: boolean }> = ({ here, canConfigure }) => (
  <nav aria-label="Posteingang-Bereiche">
    <ul class="lotse-ops-filter">
      {LINKS.filter((l) => !l.configure || canConfigure).map((l) => (
        <li>
          <a class="lotse-ops-filter__link" href={l.href} aria-current={here === l.area ? 'page' : undefined}>
            {l.label}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

/** Whether the signed-in user may configure the mailroom (mailboxes). */
export const canConfigure = (c: Context<AppEnv>): boolean => !!c.var.user && can(c.var.user.roles, 'mailroom.configure');

/** Staff page frame of every mailroom page (shared style sheets; `scripts` for client islands). */
export const mailroomPage = (c: Context<AppEnv>, title: string, children: Child, scripts?: string[]) =>
  renderPage(c, {
    title,
    area: 'staff',
    head: (
      <>
        <link rel="stylesheet" href="/static/app/staff.css" />
        <link rel="stylesheet" href="/static/app/ops.css" />
        <link rel="stylesheet" href="/static/app/mailroom.css" />
        <link rel="stylesheet" href="/static/app/mailroom-intake.css" />
      </>
    ),
    ...(scripts ? { scripts } : {}),
    children,
  });
