import { useFieldArray, useForm } from "react-hook-form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Field } from "../../components/Field";
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
        <Field label="Name" error={errors.name?.message}>
          {(control) => (
            <input
              {...control}
              {...register("name", {
                required: "Name is required.",
                pattern: { value: collectionNamePattern, message: "Name: 1 to 63 of a-z, 0-9, '_' or '-', starting with a letter or digit." },
              })}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Dimension" error={errors.dimension?.message}>
          {(control) => <input type="number" {...control} {...register("dimension", number(1, 20000, "Dimension"))} />}
        </Field>
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
              <Field label="m" error={errors.m?.message}>
                {(control) => <input type="number" {...control} {...register("m", number(2, 128, "m"))} />}
              </Field>
              <Field label="ef_construction" error={errors.efConstruction?.message}>
                {(control) => <input type="number" {...control} {...register("efConstruction", number(4, 4096, "ef_construction"))} />}
              </Field>
              <Field label="ef" error={errors.ef?.message}>
                {(control) => <input type="number" {...control} {...register("ef", number(1, 10000, "ef"))} />}
              </Field>
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
              <input {...register(`fields.${index}.name`)} autoComplete="off" />
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
