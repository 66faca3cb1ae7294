import { useId, useState } from "react";
import { Link } from "react-router";
import { ProblemMessage } from "../../components/ProblemMessage";
import { FieldError } from "../shared/FieldError";
import { useFormSubmit } from "../shared/useFormSubmit";
import { checkTenantForm } from "./tenantList";
import type { PlanInfo, TenantInfo } from "./adminQueries";

interface CreateTenantFormProps {
  plans: readonly PlanInfo[];
  onCreate: (body: { name: string; plan?: string }) => Promise<TenantInfo>;
}

/** "Create tenant": a name and a plan; the new tenant's engine starts at once. */
export function CreateTenantForm({ plans, onCreate }: CreateTenantFormProps) {
  const ids = { title: useId(), name: useId(), plan: useId() };
  const [name, setName] = useState("");
  const [plan, setPlan] = useState("");
  const [created, setCreated] = useState<TenantInfo | null>(null);
  const { errors, failure, busy, submit } = useFormSubmit(
    ["name", "plan"],
    () => {
      setCreated(null);
      return checkTenantForm({ name, plan });
    },
    async (body) => {
      setCreated(await onCreate(body));
      setName("");
    },
  );

  return (
    <form onSubmit={submit} noValidate aria-labelledby={ids.title}>
      <h2 id={ids.title}>New tenant</h2>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            value={name}
            onChange={(e) => setName(e.target.value)}
            spellCheck={false}
            aria-invalid={!!errors.name}
            aria-describedby={errors.name ? `${ids.name}-error` : `${ids.name}-hint`}
          />
          <span id={`${ids.name}-hint`} className="hint">
            Lower-case letters, digits, _ and -.
          </span>
          <FieldError id={`${ids.name}-error`} message={errors.name} />
        </div>
        <div className="field">
          <label htmlFor={ids.plan}>Plan</label>
          <select
            id={ids.plan}
            value={plan}
            onChange={(e) => setPlan(e.target.value)}
            aria-invalid={!!errors.plan}
            aria-describedby={errors.plan ? `${ids.plan}-error` : undefined}
          >
            <option value="">Default (free)</option>
            {plans.map((p) => (
              <option key={p.id ?? ""} value={p.id ?? ""}>
                {p.name ?? p.id}
              </option>
            ))}
          </select>
          <FieldError id={`${ids.plan}-error`} message={errors.plan} />
        </div>
      </div>
      <ProblemMessage error={failure} />
      <p role="status" aria-live="polite">
        {created && (
          <>
            Tenant <Link to={`/admin/tenants/${encodeURIComponent(created.id)}`}>{created.name}</Link> created.
          </>
        )}
      </p>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Create tenant
        </button>
      </div>
    </form>
  );
}
