/**
 * Shared KERN UX building blocks for server-rendered pages (public and staff).
 *
 * Form fields wire label, hint and error for assistive technology the same way everywhere:
 * the label points at the control (`for`), the hint has the id `<id>-hint`, the error `<id>-error`,
 * and the control lists both in `aria-describedby` and sets `aria-invalid` when there is an error.
 * The control id defaults to `f-<name>`; pass `id` where a page needs several fields of one name.
 */
import type { Child, FC } from 'hono/jsx';
import type { FieldError } from '../core/errors.ts';

/** Hidden CSRF field every POST form needs. */
export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

/** KERN alert. `role="alert"` for errors/results after a submit, so screen readers announce them. */
export const Notice: FC<{
  kind: 'danger' | 'success' | 'info' | 'warning';
  title: Child;
  announce?: boolean;
  id?: string;
  class?: string;
  children?: Child;
}> = ({ kind, title, announce = true, id, class: cls, children }) => (
  <div
    class={`kern-alert kern-alert--${kind}${cls ? ` ${cls}` : ''}`}
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

/**
 * Error summary at the top of a form (KERN danger alert, focusable via `#<id>`): a title, an optional
 * sentence and a list of the problems; an item with `href` links to its field.
 */
export const ErrorSummary: FC<{
  title: string;
  message?: Child;
  errors?: readonly { message: string; href?: string | undefined }[] | undefined;
  id?: string;
  /** Class of the list, e.g. `kern-list` (no bullets). */
  listClass?: string | undefined;
}> = ({ title, message, errors = [], id = 'fehler', listClass }) => (
  <Notice kind="danger" title={title} id={id}>
    {message || errors.length ? (
      <>
        {message ? <p class="kern-body">{message}</p> : null}
        {errors.length ? (
          <ul class={listClass}>
            {errors.map((e) => (
              <li>
                {e.href ? (
                  <a class="kern-link" href={e.href}>
                    {e.message}
                  </a>
                ) : (
                  e.message
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </>
    ) : null}
  </Notice>
);

export const fieldError = (errors: FieldError[] | undefined, field: string): string | undefined =>
  errors?.find((e) => e.field === field)?.message;

/** Error line of a field. `announce` adds `role="alert"` (for forms without an error summary). */
export const ErrorText: FC<{ id: string; message: string; announce?: boolean | undefined }> = ({ id, message, announce }) => (
  <p class="kern-error" id={id} role={announce ? 'alert' : undefined}>
    <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
    <span>{message}</span>
  </p>
);

/** `aria-describedby` for a field: extra ids, then its hint and error ids, if any. */
export const describedBy = (
  id: string,
  p: { hint?: Child | undefined; error?: string | undefined; describedBy?: string | undefined },
): string | undefined => [p.describedBy, p.hint ? `${id}-hint` : null, p.error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

/** What every labelled field takes. */
interface FieldProps {
  name: string;
  label: Child;
  /** Control id; default `f-<name><idSuffix>`. */
  id?: string | undefined;
  idSuffix?: string | undefined;
  hint?: Child | undefined;
  error?: string | undefined;
  /** Text of the KERN "optional" marker after the label (e.g. "optional"). */
  optional?: string | undefined;
  /** `role="alert"` on the error line. */
  announceError?: boolean | undefined;
  /** Further ids for `aria-describedby` (before hint and error). */
  describedBy?: string | undefined;
  required?: boolean | undefined;
  disabled?: boolean | undefined;
}

const fieldId = (p: { name: string; id?: string | undefined; idSuffix?: string | undefined }) => p.id ?? `f-${p.name}${p.idSuffix ?? ''}`;

/** Label, hint and error around one form control (KERN form-input). Use it directly for controls without a ready component. */
export const FieldFrame: FC<{
  id: string;
  label: Child;
  hint?: Child | undefined;
  error?: string | undefined;
  optional?: string | undefined;
  announceError?: boolean | undefined;
  /** Extra classes on the wrapper. */
  class?: string | undefined;
  /** Extra attributes on the wrapper (e.g. `data-*` hooks for scripts). */
  attrs?: Record<string, string> | undefined;
  children?: Child;
}> = (p) => (
  <div class={`kern-form-input${p.error ? ' kern-form-input--error' : ''}${p.class ? ` ${p.class}` : ''}`} {...(p.attrs ?? {})}>
    <label class="kern-label" for={p.id}>
      {p.label}
      {p.optional ? <span class="kern-label__optional"> – {p.optional}</span> : null}
    </label>
    {p.hint ? (
      <div class="kern-hint" id={`${p.id}-hint`}>
        {p.hint}
      </div>
    ) : null}
    {p.error ? <ErrorText id={`${p.id}-error`} message={p.error} announce={p.announceError} /> : null}
    {p.children}
  </div>
);

/** Labelled input (text, email, number, date, time, file …) with optional hint and error (linked via aria-describedby). */
export const TextField: FC<
  FieldProps & {
    type?: string;
    value?: string | number | undefined;
    autocomplete?: string | undefined;
    autofocus?: boolean | undefined;
    minlength?: number | undefined;
    maxlength?: number | undefined;
    min?: string | number | undefined;
    max?: string | number | undefined;
    step?: string | number | undefined;
    multiple?: boolean | undefined;
    /** Extra classes / attributes on the wrapper, and content after the control. */
    frameClass?: string | undefined;
    frameAttrs?: Record<string, string> | undefined;
    after?: Child;
  }
> = (p) => {
  const id = fieldId(p);
  return (
    <FieldFrame id={id} label={p.label} hint={p.hint} error={p.error} optional={p.optional} announceError={p.announceError} class={p.frameClass} attrs={p.frameAttrs}>
      <input
        class={`kern-form-input__input${p.error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value === undefined ? undefined : String(p.value)}
        autocomplete={p.autocomplete}
        required={p.required}
        disabled={p.disabled}
        autofocus={p.autofocus}
        minlength={p.minlength}
        maxlength={p.maxlength}
        min={p.min === undefined ? undefined : String(p.min)}
        max={p.max === undefined ? undefined : String(p.max)}
        step={p.step === undefined ? undefined : String(p.step)}
        multiple={p.multiple}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(id, p)}
      />
      {p.after}
    </FieldFrame>
  );
};

/** Labelled textarea. `class` adds classes to the control (default `lotse-textarea`, styled in staff.css). */
export const TextArea: FC<FieldProps & { value?: string | undefined; rows?: number | undefined; maxlength?: number | undefined; class?: string | undefined }> = (p) => {
  const id = fieldId(p);
  const cls = p.class ?? 'lotse-textarea';
  return (
    <FieldFrame id={id} label={p.label} hint={p.hint} error={p.error} optional={p.optional} announceError={p.announceError}>
      <textarea
        class={`kern-form-input__input${cls ? ` ${cls}` : ''}${p.error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={p.name}
        rows={p.rows ?? 8}
        maxlength={p.maxlength}
        required={p.required}
        disabled={p.disabled}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(id, p)}
      >
        {p.value ?? ''}
      </textarea>
    </FieldFrame>
  );
};

/** Labelled select; an option with value `''` serves as "please choose". */
export const SelectField: FC<FieldProps & { options: readonly { value: string; label: Child }[]; value?: string | null | undefined }> = (p) => {
  const id = fieldId(p);
  return (
    <FieldFrame id={id} label={p.label} hint={p.hint} error={p.error} optional={p.optional} announceError={p.announceError}>
      <div class="kern-form-input__select-wrapper">
        <select
          class={`kern-form-input__select${p.error ? ' kern-form-input__select--error' : ''}`}
          id={id}
          name={p.name}
          required={p.required}
          disabled={p.disabled}
          aria-describedby={describedBy(id, p)}
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

/** One checkbox with its label (KERN form-check), optional hint and error. */
export const Checkbox: FC<FieldProps & { value?: string | undefined; checked?: boolean | undefined }> = (p) => {
  const id = fieldId(p);
  return (
    <div class={`kern-form-check${p.error ? ' kern-form-check--error' : ''}`}>
      <input
        class={`kern-form-check__checkbox${p.error ? ' kern-form-check__checkbox--error' : ''}`}
        type="checkbox"
        id={id}
        name={p.name}
        value={p.value}
        checked={p.checked}
        required={p.required}
        disabled={p.disabled}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(id, p)}
      />
      <label class="kern-label" for={id}>
        {p.label}
        {p.optional ? <span class="kern-label__optional"> – {p.optional}</span> : null}
      </label>
      {p.hint ? (
        <div class="kern-hint" id={`${id}-hint`}>
          {p.hint}
        </div>
      ) : null}
      {p.error ? <ErrorText id={`${id}-error`} message={p.error} announce={p.announceError} /> : null}
    </div>
  );
};

/**
 * KERN fieldset with legend, optional hint and error (ids `<id>-hint`, `<id>-error`, referenced by the
 * fieldset's `aria-describedby`). For groups of controls that belong together.
 */
export const Fieldset: FC<{
  legend: Child;
  id?: string | undefined;
  hint?: Child | undefined;
  error?: string | undefined;
  legendClass?: string | undefined;
  bodyClass?: string | undefined;
  /** The controls themselves reference the hint, so the fieldset only references the error. */
  hintOnControls?: boolean | undefined;
  children?: Child;
}> = (p) => {
  const base = p.id ?? 'fieldset';
  const described = p.id ? describedBy(base, { hint: p.hintOnControls ? undefined : p.hint, error: p.error }) : undefined;
  return (
    <fieldset class={`kern-fieldset${p.error ? ' kern-fieldset--error' : ''}`} aria-describedby={described}>
      <legend class={`kern-label${p.legendClass ? ` ${p.legendClass}` : ''}`}>{p.legend}</legend>
      {p.hint ? (
        <div class="kern-hint" id={`${base}-hint`}>
          {p.hint}
        </div>
      ) : null}
      {p.error ? <ErrorText id={`${base}-error`} message={p.error} /> : null}
      <div class={`kern-fieldset__body${p.bodyClass ? ` ${p.bodyClass}` : ''}`}>{p.children}</div>
    </fieldset>
  );
};

interface ChoiceGroupProps {
  name: string;
  legend: Child;
  options: readonly { value: string; label: Child }[];
  /** Id base: option ids are `<idBase>-<value>`, hint/error `<idBase>-hint|-error`. Default `f-<name><idSuffix>`. */
  idBase?: string | undefined;
  idSuffix?: string | undefined;
  hint?: Child | undefined;
  error?: string | undefined;
  legendClass?: string | undefined;
  bodyClass?: string | undefined;
  required?: boolean | undefined;
  disabled?: boolean | undefined;
}

const ChoiceGroup: FC<ChoiceGroupProps & { type: 'checkbox' | 'radio'; isChecked: (v: string) => boolean }> = (p) => {
  const base = p.idBase ?? `f-${p.name}${p.idSuffix ?? ''}`;
  const hintId = p.hint ? `${base}-hint` : undefined;
  return (
    <Fieldset legend={p.legend} id={base} error={p.error} hint={p.hint} hintOnControls legendClass={p.legendClass} bodyClass={p.bodyClass}>
      {p.options.map((o) => (
        <div class="kern-form-check">
          <input
            class={`kern-form-check__${p.type}${p.error ? ` kern-form-check__${p.type}--error` : ''}`}
            type={p.type}
            id={`${base}-${o.value}`}
            name={p.name}
            value={o.value}
            checked={p.isChecked(o.value)}
            required={p.type === 'radio' ? p.required : undefined}
            disabled={p.disabled}
            aria-describedby={hintId}
          />
          <label class="kern-label" for={`${base}-${o.value}`}>
            {o.label}
          </label>
        </div>
      ))}
    </Fieldset>
  );
};

/** A group of checkboxes in a fieldset with legend. */
export const CheckboxGroup: FC<ChoiceGroupProps & { checked: readonly string[] }> = (p) => (
  <ChoiceGroup {...p} type="checkbox" isChecked={(v) => p.checked.includes(v)} />
);

/** A group of radio buttons in a fieldset with legend; `value` is the chosen option. */
export const RadioGroup: FC<ChoiceGroupProps & { value?: string | null | undefined }> = (p) => (
  <ChoiceGroup {...p} type="radio" isChecked={(v) => v === p.value} />
);

/** A table column header: text, or `{ label, numeric, srOnly }` (right-aligned numbers; text only for screen readers). */
export type TableColumn = string | { label: Child; numeric?: boolean | undefined; srOnly?: boolean | undefined };

/** Header row of a KERN table: one `th scope="col"` per column. `class` of the thead defaults to `kern-table__header`. */
export const TableHead: FC<{ columns: readonly TableColumn[]; class?: string | undefined }> = ({ columns, class: cls }) => (
  <thead class={cls ?? 'kern-table__header'}>
    <tr class="kern-table__row">
      {columns.map((col) => {
        const c = typeof col === 'string' ? { label: col } : col;
        return (
          <th scope="col" class={`kern-table__header${c.numeric ? ' kern-table__header--numeric' : ''}`}>
            {c.srOnly ? <span class="kern-sr-only">{c.label}</span> : c.label}
          </th>
        );
      })}
    </tr>
  </thead>
);

/** Submit button (KERN primary/secondary/tertiary). */
export const Submit: FC<{
  label: Child;
  kind?: 'primary' | 'secondary' | 'tertiary';
  /** `small` keeps its old meaning (x-small); prefer `size`. */
  small?: boolean;
  size?: 'small' | 'x-small' | undefined;
  name?: string | undefined;
  value?: string | undefined;
  formaction?: string | undefined;
}> = ({ label, kind = 'primary', small, size, name, value, formaction }) => {
  const s = size ?? (small ? 'x-small' : undefined);
  return (
    <button type="submit" class={`kern-btn kern-btn--${kind}${s ? ` kern-btn--${s}` : ''}`} name={name} value={value} formaction={formaction}>
      <span class="kern-label">{label}</span>
    </button>
  );
};

/** Date and time of a UTC instant in Europe/Berlin ("25.11.2026, 17:35"). */
export const berlinDateTime = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });
/** A UTC instant shown in Europe/Berlin, with "Uhr". */
export const formatBerlin = (iso: string | Date | null): string => (iso ? `${berlinDateTime.format(new Date(iso))} Uhr` : '–');
