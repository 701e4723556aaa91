import type { ErrorCode } from '../errors.ts';

/** The one place that maps error codes to HTTP status and a German default message. */
export const ERROR_MAP: Record<ErrorCode, { status: number; title: string }> = {
  bad_request: { status: 400, title: 'Die Anfrage ist fehlerhaft.' },
  validation: { status: 422, title: 'Die Eingaben sind unvollständig oder fehlerhaft.' },
  unauthenticated: { status: 401, title: 'Bitte melden Sie sich an.' },
  forbidden: { status: 403, title: 'Dafür fehlt Ihnen die Berechtigung.' },
  not_found: { status: 404, title: 'Die Seite oder der Eintrag wurde nicht gefunden.' },
  conflict: { status: 409, title: 'Der Vorgang steht im Konflikt mit dem aktuellen Stand.' },
  gone: { status: 410, title: 'Der Eintrag ist nicht mehr verfügbar.' },
  rate_limited: { status: 429, title: 'Zu viele Anfragen. Bitte warten Sie einen Moment.' },
  payload_too_large: { status: 413, title: 'Die Datei oder Anfrage ist zu groß.' },
  unsupported_media_type: { status: 415, title: 'Dieses Dateiformat wird nicht unterstützt.' },
  unavailable: { status: 503, title: 'Der Dienst ist vorübergehend nicht verfügbar.' },
  internal: { status: 500, title: 'Ein interner Fehler ist aufgetreten.' },
};
