import { Show, splitProps, type JSX } from 'solid-js';

type FieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | null; hint?: string };

let counter = 0;

/** A labelled input with its error announced to screen readers. */
export function Field(props: FieldProps) {
  const [own, input] = splitProps(props, ['label', 'error', 'hint']);
  const id = input.id ?? `field-${++counter}`;
  const describedBy = () => [own.error && `${id}-error`, own.hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{own.label}</label>
      <input id={id} aria-invalid={own.error ? 'true' : undefined} aria-describedby={describedBy()} {...input} />
      <Show when={own.hint}>
        <p class="hint" id={`${id}-hint`}>
          {own.hint}
        </p>
      </Show>
      <Show when={own.error}>
        <p class="field-error" id={`${id}-error`} role="alert">
          {own.error}
        </p>
      </Show>
    </div>
  );
}

/** A form-level error (not about one field). */
export function FormError(props: { message: string | null | undefined }) {
  return (
    <Show when={props.message}>
      <p class="form-error" role="alert">
        {props.message}
      </p>
    </Show>
  );
}
