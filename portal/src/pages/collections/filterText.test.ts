import { describe, expect, it } from "vitest";
import { parseFilter, parseVector } from "./filterText";

describe("parseFilter", () => {
  it("reads blank text as no filter", () => {
    expect(parseFilter("  \n")).toEqual({ ok: true, filter: undefined });
  });

  it("reads a JSON object", () => {
    expect(parseFilter('{"year": {"$gte": 2000}}')).toEqual({ ok: true, filter: { year: { $gte: 2000 } } });
  });

  it.each([
    ["[1, 2]", "must be a JSON object"],
    ['"drama"', "must be a JSON object"],
    ["null", "must be a JSON object"],
    ["42", "must be a JSON object"],
    ['{"genre": drama}', "not valid JSON"],
    ['{"genre": "drama",}', "not valid JSON"],
    ["{", "not valid JSON"],
  ])("refuses %s in words", (text, words) => {
    const result = parseFilter(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(words);
  });
});

describe("parseVector", () => {
  it("reads a JSON array or plain numbers", () => {
    expect(parseVector("[0.5, -1, 2e-3]", 3)).toEqual({ ok: true, vector: [0.5, -1, 0.002] });
    expect(parseVector("0.5 -1\n2e-3", 3)).toEqual({ ok: true, vector: [0.5, -1, 0.002] });
  });

  it("names the dimension when the length is wrong", () => {
    const result = parseVector("[1, 2]", 3);
    expect(result).toEqual({ ok: false, error: "The vector has 2 values; this collection's dimension is 3." });
  });

  it("names the value that is not a finite number", () => {
    expect(parseVector("[1, NaN, 3]", 3)).toEqual({ ok: false, error: "Value 2 ('NaN') is not a finite number." });
    expect(parseVector("[1, 1e400]", 2)).toEqual({ ok: false, error: "Value 2 ('1e400') is not a finite number." });
  });

  it("asks for a vector when empty", () => {
    expect(parseVector("", 3).ok).toBe(false);
  });
});
