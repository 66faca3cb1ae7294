import { describe, expect, it } from "vitest";
import {
  checkApiKeyForm,
  checkGracePeriod,
  describeScope,
  keyPrefix,
  MAX_GRACE_SECONDS,
  parseCollectionList,
} from "./apiKeyForm";

const now = new Date("2026-12-06T09:00:00Z");
const valid = { name: "search-service", role: "read_only", collections: ["movies"], expiresAt: "" };

describe("checkApiKeyForm", () => {
  it("builds the body of a valid form, without expires_at when none is given", () => {
    expect(checkApiKeyForm(valid, now)).toEqual({
      ok: true,
      body: { name: "search-service", role: "read_only", collections: ["movies"] },
    });
  });

  it("sends the expiry as an ISO instant", () => {
    const result = checkApiKeyForm({ ...valid, expiresAt: "2027-01-01T00:00:00Z" }, now);
    expect(result).toEqual({
      ok: true,
      body: {
        name: "search-service",
        role: "read_only",
        collections: ["movies"],
        expires_at: "2027-01-01T00:00:00.000Z",
      },
    });
  });

  it.each([
    ["", "name", "Name is required."],
    ["   ", "name", "Name is required."],
    ["x".repeat(129), "name", "Name must be at most 128 characters."],
  ])("refuses the name %j", (name, field, message) => {
    expect(checkApiKeyForm({ ...valid, name }, now)).toEqual({ ok: false, errors: { [field]: message } });
  });

  it("accepts a name of exactly 128 characters", () => {
    expect(checkApiKeyForm({ ...valid, name: "x".repeat(128) }, now).ok).toBe(true);
  });

  it.each(["", "owner", "ADMIN", "read-only"])("refuses the role %j", (role) => {
    const result = checkApiKeyForm({ ...valid, role }, now);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.role).toBe("Choose a role: admin, read_write or read_only.");
  });

  it("refuses a collection name the API would refuse, naming it", () => {
    const result = checkApiKeyForm({ ...valid, collections: ["movies", "Bad Name"] }, now);
    expect(result).toEqual({ ok: false, errors: { collections: "'Bad Name' is not a valid collection name." } });
  });

  it("refuses more than 100 collections and accepts 100", () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
    expect(checkApiKeyForm({ ...valid, collections: names(100) }, now).ok).toBe(true);
    expect(checkApiKeyForm({ ...valid, collections: names(101) }, now).ok).toBe(false);
  });

  it("refuses an expiry in the past or now, and one that is not a date", () => {
    expect(checkApiKeyForm({ ...valid, expiresAt: "2026-12-06T09:00:00Z" }, now)).toEqual({
      ok: false,
      errors: { expires_at: "Expires at must be in the future." },
    });
    expect(checkApiKeyForm({ ...valid, expiresAt: "tomorrow" }, now)).toEqual({
      ok: false,
      errors: { expires_at: "Expires at must be a date and time." },
    });
  });

  it("reports every bad field at once", () => {
    const result = checkApiKeyForm({ name: "", role: "x", collections: ["A"], expiresAt: "2000-01-01T00:00" }, now);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(["collections", "expires_at", "name", "role"]);
  });
});

describe("parseCollectionList", () => {
  it("splits on commas and spaces, drops empties and repeats, keeps order", () => {
    expect(parseCollectionList(" movies, books,,movies  news ")).toEqual(["movies", "books", "news"]);
    expect(parseCollectionList("  ")).toEqual([]);
  });
});

describe("checkGracePeriod", () => {
  it.each([
    ["0", 0],
    [" 3600 ", 3600],
    [String(MAX_GRACE_SECONDS), MAX_GRACE_SECONDS],
  ])("accepts %j", (text, seconds) => {
    expect(checkGracePeriod(text)).toEqual({ ok: true, seconds });
  });

  it.each(["", "-1", "1.5", "1e3", "abc", String(MAX_GRACE_SECONDS + 1)])("refuses %j", (text) => {
    expect(checkGracePeriod(text).ok).toBe(false);
  });
});

describe("display helpers", () => {
  it('says "All collections" for an empty scope', () => {
    expect(describeScope([])).toBe("All collections");
    expect(describeScope(["a", "b"])).toBe("a, b");
  });

  it("shows the key id as the prefix of the full key", () => {
    expect(keyPrefix("0123456789abcdef")).toBe("pk_0123456789abcdef_…");
  });
});
