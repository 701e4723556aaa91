import { de, type MessageKey } from './de.ts';
import { en } from './en.ts';

export type Lang = 'de' | 'en';
export const LANGS: readonly Lang[] = ['de', 'en'];
export type { MessageKey };

/**
 * Looks up a message and fills `{name}` placeholders. English falls back to German.
 * @example t('en', 'app.tagline', { town: 'Stadt Northeim' })
 */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = (lang === 'en' ? en[key] : undefined) ?? de[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export const isLang = (v: unknown): v is Lang => v === 'de' || v === 'en';
