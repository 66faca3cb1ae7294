import { PiramidApiError } from "./errors.js";
import { isRetryable, retryAfterMs, retryDelayMs, sleep, type RetryOptions } from "./retry.js";
import type {
  CollectionInfo, CollectionSettings, Filter, GroupsQuery, Point, PointGroup, PointInput, PointsPage, Problem,
  RecommendQuery, ScoredPoint, ScrollOptions, SearchQuery, WriteResult,
} from "./types.js";

/** Where the client connects, with which key, and how it retries. */
export interface PiramidClientOptions extends RetryOptions {
  /** The gateway's address, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** The tenant's API key (`pk_...`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call, including a wait between attempts. */
  signal?: AbortSignal;
}

/** Per-write options. */
export interface WriteOptions extends CallOptions {
  /** The write's Idempotency-Key (generated when absent); sent on every attempt. */
  idempotencyKey?: string;
}

/**
 * Client of a Piramid tenant's data API through the gateway. Retries 429 and 503 (honouring Retry-After) up to
 * `maxAttempts`; every write carries one Idempotency-Key across its attempts; refusals throw PiramidApiError.
 */
export class PiramidClient {
  private readonly base: string;
  private readonly apiKey: string;
  private readonly fetchFn: typeof fetch;
  private readonly retry: Required<RetryOptions>;

  constructor(options: PiramidClientOptions) {
    if (!options.baseUrl) throw new TypeError("baseUrl is required");
    if (!options.apiKey) throw new TypeError("apiKey is required");
    const maxAttempts = options.maxAttempts ?? 4;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer of at least 1; got ${maxAttempts}`);
    this.base = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    this.apiKey = options.apiKey;
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.retry = {
      maxAttempts,
      initialBackoffMs: options.initialBackoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      random: options.random ?? Math.random,
    };
  }

  // Collections

  /** Creates a collection, or returns it when it exists with the same settings (409 otherwise). */
  createCollection(name: string, settings: CollectionSettings, options?: WriteOptions): Promise<CollectionInfo> {
    return this.write("PUT", collectionPath(name), settings, options) as Promise<CollectionInfo>;
  }

  /** Every collection of the tenant. */
  async listCollections(options?: CallOptions): Promise<CollectionInfo[]> {
    const answer = (await this.send("GET", "v1/collections", undefined, undefined, options?.signal)) as { collections: CollectionInfo[] };
    return answer.collections;
  }

  /** Describes a collection. */
  getCollection(name: string, options?: CallOptions): Promise<CollectionInfo> {
    return this.send("GET", collectionPath(name), undefined, undefined, options?.signal) as Promise<CollectionInfo>;
  }

  /**
   * Deletes a collection and its data. Not resent after a failed connection: the server keeps no key for it, so a
   * resend after a lost answer would report 404 for a delete that worked, or delete a collection recreated meanwhile.
   */
  async deleteCollection(name: string, options?: WriteOptions): Promise<void> {
    await this.write("DELETE", collectionPath(name), undefined, options, false);
  }

  // Points

  /** Inserts or replaces up to 1,000 points, all or nothing; answers once durable. */
  upsert(collection: string, points: PointInput[], options?: WriteOptions): Promise<WriteResult> {
    return this.write("POST", collectionPath(collection, "points"), { points }, options) as Promise<WriteResult>;
  }

  /** One point; a missing one throws PiramidApiError with status 404. */
  getPoint(collection: string, id: string, options?: CallOptions & { includeVector?: boolean }): Promise<Point> {
    const query = options?.includeVector ? "?include_vector=true" : "";
    return this.send("GET", collectionPath(collection, `points/${segment(id)}`) + query, undefined, undefined, options?.signal) as Promise<Point>;
  }

  /** Points by id, in request order; missing ids are left out. */
  async getPoints(collection: string, ids: string[], options?: CallOptions & { include_vector?: boolean; include_metadata?: boolean }): Promise<Point[]> {
    const body = { ids, include_vector: options?.include_vector, include_metadata: options?.include_metadata };
    return ((await this.send("POST", collectionPath(collection, "points/get"), body, undefined, options?.signal)) as PointsPage).points ?? [];
  }

  /** Merges `metadata` into a point (null removes a field) and/or replaces its vector. */
  updatePoint(collection: string, id: string, update: { metadata?: Record<string, unknown>; vector?: number[] }, options?: WriteOptions): Promise<WriteResult> {
    return this.write("PATCH", collectionPath(collection, `points/${segment(id)}`), update, options) as Promise<WriteResult>;
  }

  /** Deletes points by ids or by a filter, or every point with `{ all: true }` (a filter matching everything is refused). */
  deletePoints(collection: string, selector: { ids: string[] } | { filter: Filter } | { all: true }, options?: WriteOptions): Promise<WriteResult> {
    return this.write("POST", collectionPath(collection, "points/delete"), selector, options) as Promise<WriteResult>;
  }

  /** How many points, optionally only those matching `filter`. */
  async count(collection: string, filter?: Filter, options?: CallOptions): Promise<number> {
    return ((await this.send("POST", collectionPath(collection, "count"), { filter }, undefined, options?.signal)) as { count: number }).count;
  }

  /** One page in id order; pass the previous page's `next_cursor` as `cursor`. */
  scrollPage(collection: string, scroll?: ScrollOptions, cursor?: string | null, options?: CallOptions): Promise<PointsPage> {
    const body = { filter: scroll?.filter, limit: scroll?.page_size, cursor: cursor ?? undefined, include_vector: scroll?.include_vector, include_metadata: scroll?.include_metadata };
    return this.send("POST", collectionPath(collection, "scroll"), body, undefined, options?.signal) as Promise<PointsPage>;
  }

  /** Every point (matching the filter) in id order, fetching page after page as the caller iterates. */
  async *scroll(collection: string, scroll?: ScrollOptions, options?: CallOptions): AsyncGenerator<Point> {
    let cursor: string | null | undefined = undefined;
    do {
      const page: PointsPage = await this.scrollPage(collection, scroll, cursor, options);
      yield* page.points ?? [];
      cursor = page.next_cursor;
    } while (cursor);
  }

  // Search

  /** The points nearest to the query vector or to the stored point `id` (left out), best first; `offset` pages deeper. */
  async search(collection: string, query: SearchQuery, options?: CallOptions): Promise<ScoredPoint[]> {
    return ((await this.send("POST", collectionPath(collection, "search"), query, undefined, options?.signal)) as { results: ScoredPoint[] }).results;
  }

  /** Several searches in one request; one result list per search, in order. */
  async searchBatch(collection: string, queries: SearchQuery[], options?: CallOptions): Promise<ScoredPoint[][]> {
    const answer = (await this.send("POST", collectionPath(collection, "search/batch"), { searches: queries }, undefined, options?.signal)) as { batches: { results: ScoredPoint[] }[] };
    return answer.batches.map((b) => b.results);
  }

  /** Points like the positive examples and unlike the negative ones. */
  async recommend(collection: string, query: RecommendQuery, options?: CallOptions): Promise<ScoredPoint[]> {
    return ((await this.send("POST", collectionPath(collection, "recommend"), query, undefined, options?.signal)) as { results: ScoredPoint[] }).results;
  }

  /** The best points per value of a metadata field, best group first. */
  async searchGroups(collection: string, query: GroupsQuery, options?: CallOptions): Promise<PointGroup[]> {
    return ((await this.send("POST", collectionPath(collection, "search/groups"), query, undefined, options?.signal)) as { groups: PointGroup[] }).groups;
  }

  // Transport

  private write(method: string, path: string, body: unknown, options: WriteOptions | undefined, safeToResend = true): Promise<unknown> {
    // One key per logical write, the same on each attempt, so the server can replay instead of applying twice.
    return this.send(method, path, body, options?.idempotencyKey ?? globalThis.crypto.randomUUID(), options?.signal, safeToResend);
  }

  /**
   * Sends a request, retrying 429 and 503, and a failed connection or lost answer (fetch's TypeError) when
   * `safeToResend` (a read, or a write the server applies once per key). An abort is never retried.
   */
  private async send(method: string, path: string, body: unknown, idempotencyKey: string | undefined, signal: AbortSignal | undefined, safeToResend = true): Promise<unknown> {
    const url = new URL(path, this.base);
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}` };
    if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text !== undefined) headers["content-type"] = "application/json";
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted(); // an aborted call sends nothing, even where fetch would start the request
      let response: Response;
      try {
        response = await this.fetchFn(url, { method, headers, body: text, signal });
        if (response.ok) {
          if (response.status === 204) return undefined;
          return await response.json();
        }
      } catch (error) {
        // Refused, reset, or the body cut off: the server may have acted, so only a read or a keyed write is resent.
        const transport = error instanceof TypeError && !(signal?.aborted ?? false);
        if (!transport || !safeToResend || attempt >= this.retry.maxAttempts) throw error;
        await sleep(retryDelayMs(attempt, undefined, this.retry)!, signal);
        continue;
      }
      const retryAfter = retryAfterMs(response.headers.get("retry-after"));
      const delay = attempt < this.retry.maxAttempts && isRetryable(response.status) ? retryDelayMs(attempt, retryAfter, this.retry) : undefined;
      if (delay === undefined) throw await toError(response, retryAfter);
      await response.body?.cancel();
      await sleep(delay, signal);
    }
  }
}

async function toError(response: Response, retryAfter: number | undefined): Promise<PiramidApiError> {
  const text = await response.text();
  const requestId = response.headers.get("x-request-id") ?? undefined;
  let problem: Problem | undefined;
  if ((response.headers.get("content-type") ?? "").includes("json")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) problem = parsed as Problem;
    } catch {
      // Not a problem object after all: quote the body.
    }
  }
  return new PiramidApiError(response.status, problem, text === "" ? response.statusText : text.slice(0, 4096), requestId, retryAfter);
}

function segment(value: string): string {
  if (!value) throw new TypeError("a collection name or point id is required");
  return encodeURIComponent(value);
}

function collectionPath(name: string, rest?: string): string {
  return rest === undefined ? `v1/collections/${segment(name)}` : `v1/collections/${segment(name)}/${rest}`;
}
