import { useFieldArray, useForm } from "react-hook-form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { ProblemMessage } from "../../components/ProblemMessage";
import {
  collectionNamePattern,
  createCollectionBody,
  defaultCreateForm,
  fieldTypes,
  metrics,
  type CreateCollectionForm as FormValues,
} from "./createBody";

interface Props {
  tenantId: string;
  onCreated: (name: string, existed: boolean) => void;
  onCancel: () => void;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;
}

/** Create a collection: name, dimension, metric, index and its parameters, quantization, schema fields. */
export function CreateCollectionForm({ tenantId, onCreated, onCancel }: Props) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { register, control, handleSubmit, watch, formState } = useForm<FormValues>({ defaultValues: defaultCreateForm });
  const fields = useFieldArray({ control, name: "fields" });
  const errors = formState.errors;
  const hnsw = watch("indexType") === "hnsw";

  const create = useMutation({
    mutationFn: async (values: FormValues) => {
      const { data, error, response } = await api.PUT("/v1/tenants/{tenant_id}/collections/{name}", {
        params: { path: { tenant_id: tenantId, name: values.name } },
        body: createCollectionBody(values),
      });
      await unwrap(Promise.resolve({ data, error, response }));
      return { name: values.name, existed: response.status === 200 };
    },
    onSuccess: async ({ name, existed }) => {
      await queryClient.invalidateQueries({ queryKey: ["collections", tenantId] });
      onCreated(name, existed);
    },
  });

  const number = (min: number, max: number, what: string) => ({
    valueAsNumber: true as const,
    required: `${what} is required.`,
    min: { value: min, message: `${what} must be between ${min} and ${max}.` },
    max: { value: max, message: `${what} must be between ${min} and ${max}.` },
    validate: (v: number) => Number.isInteger(v) || `${what} must be a whole number.`,
  });

  return (
    <form className="card" onSubmit={handleSubmit((values) => create.mutate(values))} noValidate aria-label="Create collection">
      <h2>Create collection</h2>
      <div className="row">
        <label className="field">
          <span>Name</span>
          <input
            {...register("name", {
              required: "Name is required.",
              pattern: { value: collectionNamePattern, message: "Name: 1 to 63 of a-z, 0-9, '_' or '-', starting with a letter or digit." },
            })}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby="create-name-error"
            autoComplete="off"
          />
          <FieldError id="create-name-error" message={errors.name?.message} />
        </label>
        <label className="field">
          <span>Dimension</span>
          <input
            type="number"
            {...register("dimension", number(1, 20000, "Dimension"))}
            aria-invalid={errors.dimension ? true : undefined}
            aria-describedby="create-dimension-error"
          />
          <FieldError id="create-dimension-error" message={errors.dimension?.message} />
        </label>
        <label className="field">
          <span>Metric</span>
          <select {...register("metric")}>
            {metrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Quantization</span>
          <select {...register("quantization")}>
            <option value="none">none</option>
            <option value="int8">int8</option>
          </select>
        </label>
      </div>
      <fieldset>
        <legend>Index</legend>
        <div className="row">
          <label className="field">
            <span>Index type</span>
            <select {...register("indexType")}>
              <option value="hnsw">hnsw</option>
              <option value="flat">flat (exact)</option>
            </select>
          </label>
          {hnsw && (
            <>
              <label className="field">
                <span>m</span>
                <input type="number" {...register("m", number(2, 128, "m"))} aria-invalid={errors.m ? true : undefined} aria-describedby="create-m-error" />
                <FieldError id="create-m-error" message={errors.m?.message} />
              </label>
              <label className="field">
                <span>ef_construction</span>
                <input
                  type="number"
                  {...register("efConstruction", number(4, 4096, "ef_construction"))}
                  aria-invalid={errors.efConstruction ? true : undefined}
                  aria-describedby="create-efc-error"
                />
                <FieldError id="create-efc-error" message={errors.efConstruction?.message} />
              </label>
              <label className="field">
                <span>ef</span>
                <input type="number" {...register("ef", number(1, 10000, "ef"))} aria-invalid={errors.ef ? true : undefined} aria-describedby="create-ef-error" />
                <FieldError id="create-ef-error" message={errors.ef?.message} />
              </label>
            </>
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Schema (optional)</legend>
        <p className="hint muted">Typed fields are checked on every write and indexed for filters (not text).</p>
        {fields.fields.map((field, index) => (
          <div className="row" key={field.id}>
            <label className="field">
              <span>Field {index + 1} name</span>
              <input {...register(`fields.${index}.name`, { required: "A field needs a name." })} autoComplete="off" />
            </label>
            <label className="field">
              <span>Field {index + 1} type</span>
              <select {...register(`fields.${index}.type`)}>
                {fieldTypes.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => fields.remove(index)} aria-label={`Remove field ${index + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => fields.append({ name: "", type: "keyword" })}>
          Add field
        </button>
      </fieldset>
      <ProblemMessage error={create.error} prefix="Could not create the collection." />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create"}
        </button>
      </div>
    </form>
  );
}
