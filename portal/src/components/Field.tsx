import { useId, type ReactNode } from "react";

/** What a control needs to be named by its label and described by its hint or error. */
export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

interface FieldProps {
  label: string;
  /** Shown under the control while there is no error. */
  hint?: ReactNode;
  error?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A labelled control: the label names it (and only the label, so tests and screen readers find it by that name),
 * the hint or the error describes it.
 */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const note = error ?? hint;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-describedby": note ? `${id}-note` : undefined, "aria-invalid": error ? true : undefined })}
      {note && (
        <span id={`${id}-note`} className={error ? "field-error" : "hint"}>
          {note}
        </span>
      )}
    </div>
  );
}
