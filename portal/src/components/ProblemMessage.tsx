import { errorText } from "../api/problem";

/** An error in words (an ApiError's message is the problem's title and detail), announced to screen readers. */
export function ProblemMessage({ error, prefix }: { error: unknown; prefix?: string }) {
  if (error === null || error === undefined) return null;
  const text = typeof error === "string" ? error : errorText(error);
  return (
    <p className="problem" role="alert">
      {prefix ? `${prefix} ` : ""}
      {text}
    </p>
  );
}
