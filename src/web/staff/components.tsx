import type { Child, FC } from 'hono/jsx';
import type { FieldError } from '../../core/errors.ts';

/** Hidden CSRF field every POST form needs. */
export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

/** KERN alert. `role="alert"` for errors/results after a submit, so screen readers announce them. */
export const Notice: FC<{
  kind: 'danger' | 'success' | 'info' | 'warning';
  title: string;
  announce?: boolean;
  id?: string;
  children?: Child;
}> = ({ kind, title, announce = true, id, children }) => (
  <div
    class={`kern-alert kern-alert--${kind}`}
    role={announce ? (kind === 'danger' ? 'alert' : 'status') : undefined}
    id={id}
    tabindex={id ? -1 : undefined}
  >
    <div class="kern-alert__header">
      <span class={`kern-icon kern-icon--${kind}`} aria-hidden="true" />
      <span class="kern-title">{title}</span>
    </div>
    {children ? <div class="kern-alert__body">{children}</div> : null}
  </div>
);

export const fieldError = (errors: FieldError[] | undefined, field: string): string | undefined =>
  errors?.find((e) => e.field === field)?.message;

const ErrorText: FC<{ id: string; message: string }> = ({ id, message }) => (
  <p class="kern-error" id={id}>
    <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
    <span>{message}</span>
  </p>
);

/** `aria-describedby` for a field: its hint and error ids, if any. */
const describedBy = (id: string, p: { hint?: string | undefined; error?: string | undefined }): string | undefined =>
  [p.hint ? `${id}-hint` : null, p.error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

/** Label, hint and error around one form control (KERN form-input). */
const FieldFrame: FC<{ id: string; label: string; hint?: string | undefined; error?: string | undefined; children?: Child }> = (p) => (
  <div class={`kern-form-input${p.error ? ' kern-form-input--error' : ''}`}>
    <label class="kern-label" for={p.id}>
      {p.label}
    </label>
    {p.hint ? (
      <div class="kern-hint" id={`${p.id}-hint`}>
        {p.hint}
      </div>
    ) : null}
    {p.error ? <ErrorText id={`${p.id}-error`} message={p.error} /> : null}
    {p.children}
  </div>
);

/** Labelled text input with optional hint and error (linked via aria-describedby). */
export const TextField: FC<{
  name: string;
  label: string;
  type?: string;
  value?: string;
  hint?: string;
  error?: string | undefined;
  autocomplete?: string;
  required?: boolean;
  autofocus?: boolean;
  minlength?: number;
}> = (p) => {
  const id = `f-${p.name}`;
  const described = describedBy(id, p);
  return (
    <FieldFrame id={id} label={p.label} hint={p.hint} error={p.error}>
      <input
        class={`kern-form-input__input${p.error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value}
        autocomplete={p.autocomplete}
        required={p.required}
        autofocus={p.autofocus}
        minlength={p.minlength}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={described}
      />
    </FieldFrame>
  );
};

/** Labelled textarea. */
export const TextArea: FC<{ name: string; label: string; value: string; hint?: string; error?: string | undefined; rows?: number }> = (
  p,
) => {
  const id = `f-${p.name}`;
  const described = describedBy(id, p);
  return (
    <FieldFrame id={id} label={p.label} hint={p.hint} error={p.error}>
      <textarea
        class={`kern-form-input__input lotse-textarea${p.error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={p.name}
        rows={p.rows ?? 8}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={described}
      >
        {p.value}
      </textarea>
    </FieldFrame>
  );
};

/** Labelled select. */
export const SelectField: FC<{
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | null;
  hint?: string;
  error?: string | undefined;
  idSuffix?: string;
}> = (p) => {
  const id = `f-${p.name}${p.idSuffix ?? ''}`;
  const described = describedBy(id, p);
  return (
    <FieldFrame id={id} label={p.label} hint={p.hint} error={p.error}>
      <div class="kern-form-input__select-wrapper">
        <select
          class={`kern-form-input__select${p.error ? ' kern-form-input__select--error' : ''}`}
          id={id}
          name={p.name}
          aria-describedby={described}
          aria-invalid={p.error ? 'true' : undefined}
        >
          {p.options.map((o) => (
            <option value={o.value} selected={o.value === (p.value ?? '')}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </FieldFrame>
  );
};

/** A group of checkboxes in a fieldset with legend. */
export const CheckboxGroup: FC<{
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  checked: readonly string[];
  error?: string | undefined;
  idSuffix?: string;
}> = (p) => {
  const base = `f-${p.name}${p.idSuffix ?? ''}`;
  return (
    <fieldset class={`kern-fieldset${p.error ? ' kern-fieldset--error' : ''}`} aria-describedby={p.error ? `${base}-error` : undefined}>
      <legend class="kern-label">{p.legend}</legend>
      {p.error ? <ErrorText id={`${base}-error`} message={p.error} /> : null}
      <div class="kern-fieldset__body">
        {p.options.map((o) => (
          <div class="kern-form-check">
            <input
              class={`kern-form-check__checkbox${p.error ? ' kern-form-check__checkbox--error' : ''}`}
              type="checkbox"
              id={`${base}-${o.value}`}
              name={p.name}
              value={o.value}
              checked={p.checked.includes(o.value)}
            />
            <label class="kern-label" for={`${base}-${o.value}`}>
              {o.label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
};

/** Primary/secondary submit button. */
export const Submit: FC<{ label: string; kind?: 'primary' | 'secondary' | 'tertiary'; small?: boolean }> = ({
  label,
  kind = 'primary',
  small,
}) => (
  <button type="submit" class={`kern-btn kern-btn--${kind}${small ? ' kern-btn--x-small' : ''}`}>
    <span class="kern-label">{label}</span>
  </button>
);

const berlin = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });
/** A UTC instant shown in Europe/Berlin. */
export const formatBerlin = (iso: string | Date | null): string => (iso ? `${berlin.format(new Date(iso))} Uhr` : '–');
