import { useState, type FormEvent, type ReactNode } from "react";
import { Modal } from "./Modal";
import { ProblemMessage } from "./ProblemMessage";

interface ConfirmDialogProps {
  title: string;
  /** What will happen, in words. */
  children?: ReactNode;
  /** The button's words, e.g. "Delete collection". */
  confirmLabel: string;
  /** When set, the person must type this exactly before the button works. */
  typeToConfirm?: string;
  /** Runs the action; a thrown error is shown in the dialog, which stays open. */
  onConfirm: () => Promise<unknown> | void;
  onCancel: () => void;
}

/** Confirmation of a destructive action, optionally "type the name to confirm". */
export function ConfirmDialog({ title, children, confirmLabel, typeToConfirm, onConfirm, onCancel }: ConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const matches = typeToConfirm === undefined || typed === typeToConfirm;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!matches || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  return (
    <Modal title={title} onClose={onCancel}>
      <form onSubmit={submit}>
        {children}
        {typeToConfirm !== undefined && (
          <label className="field">
            <span>
              Type <strong>{typeToConfirm}</strong> to confirm
            </span>
            <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
          </label>
        )}
        <ProblemMessage error={failure} />
        <div className="actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={!matches || busy}>
            {busy ? "Working…" : confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
