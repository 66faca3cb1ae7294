/** The filter editor's text read as a filter: nothing when blank, else one JSON object. */
export type FilterParse = { ok: true; filter: Record<string, unknown> | undefined } | { ok: false; error: string };

export function parseFilter(text: string): FilterParse {
  if (text.trim() === "") return { ok: true, filter: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `The filter is not valid JSON: ${reason}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: 'The filter must be a JSON object, such as {"genre": "drama"}.' };
  }
  return { ok: true, filter: value as Record<string, unknown> };
}

/** A pasted query vector: a JSON array or numbers separated by commas or spaces, of the collection's dimension. */
export type VectorParse = { ok: true; vector: number[] } | { ok: false; error: string };

export function parseVector(text: string, dimension: number | undefined): VectorParse {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, error: "Paste a vector: a JSON array of numbers." };
  const inner = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : trimmed;
  const parts = inner.split(/[\s,]+/).filter((p) => p !== "");
  const vector: number[] = [];
  for (const [index, part] of parts.entries()) {
    const value = Number(part);
    if (!Number.isFinite(value)) return { ok: false, error: `Value ${index + 1} ('${part}') is not a finite number.` };
    vector.push(value);
  }
  if (dimension !== undefined && vector.length !== dimension) {
    return { ok: false, error: `The vector has ${vector.length} values; this collection's dimension is ${dimension}.` };
  }
  return { ok: true, vector };
}
