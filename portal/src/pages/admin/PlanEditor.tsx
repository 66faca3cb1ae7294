import { useId, useState, type FormEvent } from "react";
import { ProblemMessage } from "../../components/ProblemMessage";
import { FieldError } from "../shared/FieldError";
import { placeProblem } from "../shared/fieldProblem";
import {
  checkPlanForm,
  PLAN_FIELD_KEYS,
  PLAN_FIELDS,
  planToForm,
  type PlanBody,
  type PlanFormValues,
} from "./planForm";
import type { PlanInfo } from "./adminQueries";

interface PlanEditorProps {
  plan: PlanInfo;
  /** Sends the full body; rejects with the API's problem, shown at the field it names. */
  onSave: (body: PlanBody) => Promise<unknown>;
  onCancel: () => void;
}

const labelOf = (key: string) => (key === "name" ? "Name" : (PLAN_FIELDS.find((f) => f.key === key)?.label ?? key));

/** Every quota and rate limit of one plan; "Save" replaces the plan (`PUT /v1/plans/{id}`, the full body). */
export function PlanEditor({ plan, onSave, onCancel }: PlanEditorProps) {
  const base = useId();
  const [values, setValues] = useState<PlanFormValues>(() => planToForm(plan));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const checked = checkPlanForm(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSave(checked.body);
    } catch (error) {
      const placed = placeProblem(error, PLAN_FIELD_KEYS);
      if (placed.field) setErrors({ [placed.field]: placed.message });
      else setFailure(placed.message);
      setBusy(false);
    }
  }

  const field = (key: keyof PlanFormValues, label: string, hint?: string) => {
    const id = `${base}-${key}`;
    return (
      <div className="field" key={key}>
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          inputMode={key === "name" ? undefined : "numeric"}
          value={values[key]}
          onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
          aria-invalid={!!errors[key]}
          aria-describedby={errors[key] ? `${id}-error` : hint ? `${id}-hint` : undefined}
        />
        {hint && (
          <span id={`${id}-hint`} className="hint">
            {hint}
          </span>
        )}
        <FieldError id={`${id}-error`} message={errors[key]} />
      </div>
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={`Edit plan ${plan.id}`}>
      <h2>Edit plan {plan.id}</h2>
      <div className="field-grid">
        {field("name", "Name")}
        {PLAN_FIELDS.map((f) =>
          field(f.key, f.label, f.optional ? "Optional: empty keeps the current value." : undefined),
        )}
      </div>
      <ProblemMessage error={failure} />
      {Object.keys(errors).length > 0 && (
        <p className="field-error" role="alert">
          Check the marked fields: {Object.keys(errors).map(labelOf).join(", ")}.
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
