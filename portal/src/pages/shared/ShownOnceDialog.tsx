import { useId } from "react";
import { Modal } from "../../components/Modal";
import { CopyButton } from "../../components/CopyButton";

interface ShownOnceDialogProps {
  title: string;
  /** What the value is, e.g. "API key" or "Invitation link": the label of the text field. */
  label: string;
  /** The secret: held only by the caller's state and dropped when the dialog closes. */
  value: string;
  /** Extra words under the warning (expiry, who may use it). */
  children?: React.ReactNode;
  onClose: () => void;
}

/**
 * A secret the API returns once (a new key, a rotated key, an invitation link): shown with a "Copy" button and a
 * warning, then forgotten when the dialog closes. The portal never stores it anywhere else.
 */
export function ShownOnceDialog({ title, label, value, children, onClose }: ShownOnceDialogProps) {
  const id = useId();
  return (
    <Modal title={title} onClose={onClose}>
      <p className="notice" role="note">
        <strong>It will not be shown again.</strong> Copy it now and keep it somewhere safe.
      </p>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          className="code"
          value={value}
          readOnly
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
      </div>
      {children}
      <div className="actions">
        <CopyButton text={value} label="Copy" />
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
