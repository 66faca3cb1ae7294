import { useId, useState } from "react";
import { ProblemMessage } from "../../components/ProblemMessage";
import { FieldError } from "../shared/FieldError";
import { useFormSubmit } from "../shared/useFormSubmit";
import { assignableRoles, checkInviteForm, type Actor, type InviteBody } from "./memberRules";

interface InviteFormProps {
  actor: Actor;
  onInvite: (body: InviteBody) => Promise<unknown>;
}

/** "Invite member": an optional email (then only that person may accept) and the role; the link is shown by the page. */
export function InviteForm({ actor, onInvite }: InviteFormProps) {
  const ids = { title: useId(), email: useId(), role: useId() };
  const roles = assignableRoles(actor);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("viewer");
  const { errors, failure, busy, submit } = useFormSubmit(
    ["email", "role"],
    () => checkInviteForm({ email, role }, actor),
    async (body) => {
      await onInvite(body);
      setEmail("");
    },
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby={ids.title}>
      <h2 id={ids.title}>Invite someone</h2>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.email}>Email (optional)</label>
          <input
            id={ids.email}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={!!errors.email}
            aria-describedby={errors.email ? `${ids.email}-error` : `${ids.email}-hint`}
          />
          <span id={`${ids.email}-hint`} className="hint">
            With an email, only that person can accept.
          </span>
          <FieldError id={`${ids.email}-error`} message={errors.email} />
        </div>
        <div className="field">
          <label htmlFor={ids.role}>Role</label>
          <select
            id={ids.role}
            value={role}
            onChange={(e) => setRole(e.target.value)}
            aria-invalid={!!errors.role}
            aria-describedby={errors.role ? `${ids.role}-error` : undefined}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <FieldError id={`${ids.role}-error`} message={errors.role} />
        </div>
      </div>
      <ProblemMessage error={failure} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Invite member
        </button>
      </div>
    </form>
  );
}
