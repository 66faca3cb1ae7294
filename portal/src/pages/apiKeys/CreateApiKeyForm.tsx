import { useId, useState } from "react";
import { useCollections } from "../../api/collections";
import { roleIn, useMe } from "../../api/me";
import { ProblemMessage } from "../../components/ProblemMessage";
import { errorText } from "../../api/problem";
import { FieldError } from "../shared/FieldError";
import { useFormSubmit } from "../shared/useFormSubmit";
import {
  API_KEY_ROLE_LABELS,
  API_KEY_ROLES,
  checkApiKeyForm,
  parseCollectionList,
  type ApiKeyCreateBody,
} from "./apiKeyForm";

type Field = "name" | "role" | "collections" | "expires_at";
const FIELDS: readonly Field[] = ["name", "role", "collections", "expires_at"];

interface CreateApiKeyFormProps {
  tenantId: string;
  /** Sends the body; rejects with the API's problem. */
  onCreate: (body: ApiKeyCreateBody) => Promise<unknown>;
  now?: () => Date;
}

/** "Create API key": name, role, collection scope (the tenant's collections or typed names), optional expiry. */
export function CreateApiKeyForm({ tenantId, onCreate, now = () => new Date() }: CreateApiKeyFormProps) {
  const ids = { name: useId(), role: useId(), other: useId(), expires: useId(), errors: useId() };
  // The collections are listed through the member routes: an operator who is no member types names instead.
  const member = roleIn(useMe().data, tenantId) !== undefined;
  const collections = useCollections(tenantId, member);
  const [name, setName] = useState("");
  const [role, setRole] = useState<string>("read_only");
  const [picked, setPicked] = useState<string[]>([]);
  const [other, setOther] = useState("");
  const [expiresAt, setExpiresAt] = useState("");
  const known = collections.data?.collections.map((c) => c.name) ?? [];

  const { errors, failure, busy, submit } = useFormSubmit(
    FIELDS,
    () => checkApiKeyForm({ name, role, collections: [...picked, ...parseCollectionList(other)], expiresAt }, now()),
    async (body) => {
      await onCreate(body);
      setName("");
      setPicked([]);
      setOther("");
      setExpiresAt("");
    },
  );

  const toggle = (c: string, on: boolean) => setPicked((p) => (on ? [...p, c] : p.filter((x) => x !== c)));
  const described = (field: Field) => (errors[field] ? `${ids.errors}-${field}` : undefined);

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${ids.name}-title`}>
      <h2 id={`${ids.name}-title`}>New API key</h2>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={128}
            aria-invalid={!!errors.name}
            aria-describedby={described("name")}
          />
          <FieldError id={`${ids.errors}-name`} message={errors.name} />
        </div>
        <div className="field">
          <label htmlFor={ids.role}>Role</label>
          <select
            id={ids.role}
            value={role}
            onChange={(e) => setRole(e.target.value)}
            aria-invalid={!!errors.role}
            aria-describedby={described("role")}
          >
            {API_KEY_ROLES.map((r) => (
              <option key={r} value={r}>
                {API_KEY_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          <FieldError id={`${ids.errors}-role`} message={errors.role} />
        </div>
        <div className="field">
          <label htmlFor={ids.expires}>Expires at (optional)</label>
          <input
            id={ids.expires}
            type="datetime-local"
            value={expiresAt}
            onChange={(e) => setExpiresAt(e.target.value)}
            aria-invalid={!!errors.expires_at}
            aria-describedby={described("expires_at")}
          />
          <FieldError id={`${ids.errors}-expires_at`} message={errors.expires_at} />
        </div>
      </div>
      <fieldset aria-describedby={described("collections")}>
        <legend>Collections (none chosen: every collection)</legend>
        {member && collections.isPending && <p className="muted">Loading collections…</p>}
        {!member && (
          <p className="muted">The tenant&apos;s collections are listed to its members only; type their names below.</p>
        )}
        {collections.error && (
          // An operator who is not a member cannot list them (the data API is the members'): not a failure of the form.
          <p className="muted">
            The tenant&apos;s collections could not be listed ({errorText(collections.error)}); type their names below.
          </p>
        )}
        {known.length > 0 && (
          <ul className="checklist">
            {known.map((c) => (
              <li key={c}>
                <label>
                  <input type="checkbox" checked={picked.includes(c)} onChange={(e) => toggle(c, e.target.checked)} />{" "}
                  {c}
                </label>
              </li>
            ))}
          </ul>
        )}
        <div className="field">
          <label htmlFor={ids.other}>Other collection names (comma-separated)</label>
          <input
            id={ids.other}
            value={other}
            onChange={(e) => setOther(e.target.value)}
            placeholder="movies, books"
            spellCheck={false}
          />
        </div>
        <FieldError id={`${ids.errors}-collections`} message={errors.collections} />
      </fieldset>
      <ProblemMessage error={failure} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Create API key
        </button>
      </div>
    </form>
  );
}
