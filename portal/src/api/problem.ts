import type { components } from "../generated/openapi";

/** RFC 9457 problem details as every Piramid process answers errors. */
export type Problem = components["schemas"]["Problem"];

/** An error answer of the API, its message the problem in words (title, then detail). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, message: string, problem?: Problem) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }

  /** The problem's type name after the catalogue prefix (`not-found`), when there is one. */
  get problemName(): string | undefined {
    return this.problem?.type?.split("/").pop();
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === "object" && body !== null && typeof (body as { title?: unknown }).title === "string";
}

/** The words a person reads for an error answer: "Title: detail", the title alone, or the HTTP status. */
export function problemText(status: number, statusText: string, body: unknown): string {
  if (isProblem(body)) {
    const detail = typeof body.detail === "string" ? body.detail.trim() : "";
    return detail && detail !== body.title ? `${body.title}: ${detail}` : body.title;
  }
  // OAuth endpoints answer {"error","error_description"}.
  if (typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string") {
    const oauth = body as { error: string; error_description?: string };
    return oauth.error_description ? `${oauth.error}: ${oauth.error_description}` : oauth.error;
  }
  const words = statusText || "Request failed";
  return `${words} (HTTP ${status})`;
}

/** Turns an error answer into an ApiError. */
export function toApiError(response: Response, body: unknown): ApiError {
  return new ApiError(response.status, problemText(response.status, response.statusText, body), isProblem(body) ? body : undefined);
}

/** The message of any thrown value, in words. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
