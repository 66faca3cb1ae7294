import { describe, expect, it } from "vitest";
import { checkPlanForm, PLAN_FIELD_KEYS, PLAN_FIELDS, planToForm } from "./planForm";
import { problemField } from "../shared/fieldProblem";

// The example of PUT /v1/plans/{id} in docs/openapi.json.
const pro = {
  id: "pro",
  name: "Pro",
  max_collections: 100,
  max_points: 10000000,
  max_storage_bytes: 107374182400,
  max_dimension: 4096,
  read_rate_per_second: 500,
  read_burst: 1000,
  write_rate_per_second: 100,
  write_burst: 200,
  monthly_read_units: 100000000,
  monthly_write_units: 10000000,
  max_requests_in_flight: 64,
  engine_memory_bytes: 2147483648,
  audit_retention_days: 365,
};

describe("plan form", () => {
  it("round-trips a plan into the full PUT body (without the id, which the path names)", () => {
    const { id: _, ...body } = pro;
    expect(checkPlanForm(planToForm(pro))).toEqual({ ok: true, body });
  });

  it("leaves optional fields out when they are empty, and requires the others", () => {
    const values = { ...planToForm(pro), max_requests_in_flight: "", max_points: "" };
    expect(checkPlanForm(values)).toEqual({ ok: false, errors: { max_points: "Max points is required." } });
    const result = checkPlanForm({ ...planToForm(pro), max_requests_in_flight: "" });
    expect(result.ok && "max_requests_in_flight" in result.body).toBe(false);
  });

  it.each(PLAN_FIELDS.map((f) => f.key))("refuses zero, negatives, fractions and words in %s", (key) => {
    for (const bad of ["0", "-5", "1.5", "ten", "9007199254740993"]) {
      const result = checkPlanForm({ ...planToForm(pro), [key]: bad });
      expect(result.ok, `${key}=${bad}`).toBe(false);
      expect(!result.ok && Object.keys(result.errors)).toEqual([key]);
    }
  });

  it("applies the documented ranges", () => {
    expect(checkPlanForm({ ...planToForm(pro), max_dimension: "20001" }).ok).toBe(false);
    expect(checkPlanForm({ ...planToForm(pro), max_dimension: "20000" }).ok).toBe(true);
    expect(checkPlanForm({ ...planToForm(pro), engine_memory_bytes: String(32 * 1024 * 1024 - 1) }).ok).toBe(false);
    expect(checkPlanForm({ ...planToForm(pro), audit_retention_days: "36501" }).ok).toBe(false);
  });

  it("requires a name of at most 128 characters", () => {
    expect(checkPlanForm({ ...planToForm(pro), name: " " })).toEqual({
      ok: false,
      errors: { name: "Name is required." },
    });
    expect(checkPlanForm({ ...planToForm(pro), name: "x".repeat(129) }).ok).toBe(false);
  });
});

describe("problemField", () => {
  it("finds the field a control-plane detail names", () => {
    expect(problemField("'max_points' must be positive.", PLAN_FIELD_KEYS)).toBe("max_points");
    expect(problemField("'max_requests_in_flight' must be between 1 and 10000.", PLAN_FIELD_KEYS)).toBe(
      "max_requests_in_flight",
    );
    expect(problemField("The field '$.read_burst' must be an integer.", PLAN_FIELD_KEYS)).toBe("read_burst");
    expect(
      problemField("'collections' holds 'X', which is not a valid collection name.", ["name", "collections"]),
    ).toBe("collections");
  });

  it("is undefined when the detail names no field of the form", () => {
    expect(problemField("Plan 'gold' does not exist; GET /v1/plans lists them.", PLAN_FIELD_KEYS)).toBeUndefined();
    expect(problemField(undefined, PLAN_FIELD_KEYS)).toBeUndefined();
    expect(problemField("'colour' is not a field of this request", PLAN_FIELD_KEYS)).toBeUndefined();
  });
});
