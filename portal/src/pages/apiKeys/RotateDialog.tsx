import { useId, useState, type FormEvent } from "react";
import { Modal } from "../../components/Modal";
import { ProblemMessage } from "../../components/ProblemMessage";
import { FieldError } from "../shared/FieldError";
import { checkGracePeriod } from "./apiKeyForm";

interface RotateDialogProps {
  keyName: string;
  /** Rotates; rejects with the API's problem, which the dialog shows. */
  onRotate: (graceSeconds: number) => Promise<unknown>;
  onCancel: () => void;
}

/** Asks for the old secret's grace period, then rotates (the new secret is shown by the page, once). */
export function RotateDialog({ keyName, onRotate, onCancel }: RotateDialogProps) {
  const id = useId();
  const [grace, setGrace] = useState("0");
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkGracePeriod(grace);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setError(undefined);
    setFailure(null);
    setBusy(true);
    try {
      await onRotate(checked.seconds);
    } catch (e) {
      setFailure(e);
      setBusy(false);
    }
  }

  return (
    <Modal title={`Rotate "${keyName}"`} onClose={onCancel}>
      <form onSubmit={submit} noValidate>
        <p>
          A new secret replaces the current one. Applications using the current secret keep working only for the grace
          period.
        </p>
        <div className="field">
          <label htmlFor={id}>Grace period (seconds)</label>
          <input
            id={id}
            inputMode="numeric"
            value={grace}
            onChange={(e) => setGrace(e.target.value)}
            aria-invalid={!!error}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
          />
          <span id={`${id}-hint`} className="hint">
            0 ends the current secret at once; at most 2592000 (30 days).
          </span>
          <FieldError id={`${id}-error`} message={error} />
        </div>
        <ProblemMessage error={failure} />
        <div className="actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Rotate key
          </button>
        </div>
      </form>
    </Modal>
  );
}
