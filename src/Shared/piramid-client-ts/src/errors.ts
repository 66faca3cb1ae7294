import type { Problem } from "./types.js";

/** The platform refused a request: the fields of its problem+json body. */
export class PiramidApiError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Stable problem type URI, e.g. `https://piramid.dev/problems/not-found`. */
  readonly type?: string;
  /** Short summary of the type. */
  readonly title?: string;
  /** What exactly was wrong (names the field for a 400). */
  readonly detail?: string;
  /** The path the request called. */
  readonly instance?: string;
  /** Trace id to quote to the operator. */
  readonly traceId?: string;
  /** Request id (`request_id` or the `X-Request-Id` header). */
  readonly requestId?: string;
  /** The answer's Retry-After in milliseconds, when it had one. */
  readonly retryAfterMs?: number;

  constructor(status: number, problem: Problem | undefined, fallbackText: string | undefined, requestId: string | undefined, retryAfterMs: number | undefined) {
    const title = problem?.title ?? fallbackText?.slice(0, 200);
    super(`${status} ${title ?? "error"}${problem?.detail ? `: ${problem.detail}` : ""}${problem?.type ? ` (${problem.type})` : ""}`);
    this.name = "PiramidApiError";
    this.status = status;
    this.type = problem?.type;
    this.title = title;
    this.detail = problem?.detail ?? (problem ? undefined : fallbackText);
    this.instance = problem?.instance;
    this.traceId = problem?.trace_id ?? problem?.traceId;
    this.requestId = problem?.request_id ?? requestId;
    this.retryAfterMs = retryAfterMs;
  }

  /** The last segment of `type` (`not-found`, `rate-limited`, ...). */
  get code(): string | undefined {
    return this.type?.slice(this.type.lastIndexOf("/") + 1);
  }
}
