import { useId, type ReactNode } from 'react';

/**
 * A labelled form control with help text and an inline validation message wired through aria-describedby /
 * aria-invalid. `children` receives the ids to put on the control.
 */
export function Field({
  label,
  help,
  error,
  optional,
  children,
}: {
  label: string;
  help?: ReactNode;
  error?: string | null;
  optional?: boolean;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  // The error replaces the help text on screen, so the control is described by whichever one is rendered: an
  // aria-describedby pointing at an id that is not in the page describes nothing.
  const showHelp = Boolean(help) && !error;
  const describedBy = error ? errorId : showHelp ? helpId : undefined;
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
        {optional && <span className="field-optional">optional</span>}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {showHelp && (
        <p className="field-help" id={helpId}>
          {help}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function Switch({
  checked,
  onChange,
  label,
  description,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  description?: string;
}) {
  const id = useId();
  return (
    <div className="switch-row">
      <button
        type="button"
        role="switch"
        id={id}
        aria-checked={checked}
        aria-describedby={description ? `${id}-desc` : undefined}
        className="switch"
        onClick={() => onChange(!checked)}
      >
        <span className="switch-thumb" />
      </button>
      <div>
        <label className="switch-label" htmlFor={id}>
          {label}
        </label>
        {description && (
          <p className="field-help" id={`${id}-desc`}>
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
