import { useState, type FormEvent } from "react";
import { placeProblem } from "./fieldProblem";

/** A form's values checked in the browser: the body to send, or a message per field. */
export type Checked<F extends string, B> = { ok: true; body: B } | { ok: false; errors: Partial<Record<F, string>> };

/**
 * The submit cycle the management forms share: check the values locally, send the body, and put the API's
 * problem next to the field it names (or above the form when it names none).
 */
export function useFormSubmit<F extends string, B>(
  fields: readonly F[],
  check: () => Checked<F, B>,
  send: (body: B) => Promise<void>,
) {
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const checked = check();
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await send(checked.body);
    } catch (error) {
      const placed = placeProblem(error, fields);
      if (placed.field !== undefined) setErrors({ [placed.field]: placed.message } as Partial<Record<F, string>>);
      else setFailure(placed.message);
    } finally {
      setBusy(false);
    }
  }

  return { errors, failure, busy, submit };
}
