/** E-mail parsing and triage – public surface for the mailroom module. */
export { parseMail, ownPart, type ParsedMessage, type MailAttachment } from './parse-mail.ts';
export {
  triageMail,
  triageParsedMail,
  toMailTriageJson,
  mailDepartments,
  DEFAULT_MAIL_DEPARTMENTS,
  MAIL_DEPARTMENTS_SETTING,
  type MailTriageResult,
  type MailTriageOptions,
} from './triage-mail.ts';
export { MAIL_CATEGORIES, MAIL_RULES_VERSION, applyRules, hasInvoiceAttachment, phishingScore } from './rules.ts';
