import type { ReactNode } from "react";
import { ProblemMessage } from "./ProblemMessage";

interface PageStateProps {
  /** Shows a loading notice. */
  loading?: boolean;
  /** What is loading, e.g. "Loading collections". */
  label?: string;
  /** An error (an ApiError or text): shown in words. */
  error?: unknown;
  /** True when the data is there but holds nothing. */
  empty?: boolean;
  /** The words and actions for the empty state. */
  emptyMessage?: ReactNode;
  /** The content, shown when not loading, failed or empty. */
  children?: ReactNode;
}

/** One way for every page to say loading, failed (the problem in words), empty, or to show its content. */
export function PageState({ loading, label, error, empty, emptyMessage, children }: PageStateProps) {
  if (error !== undefined && error !== null && error !== false) {
    return <ProblemMessage error={error} />;
  }
  if (loading) {
    return (
      <p className="muted" role="status" aria-live="polite">
        {label ?? "Loading"}…
      </p>
    );
  }
  if (empty) {
    return <div className="empty">{emptyMessage ?? <p>Nothing here yet.</p>}</div>;
  }
  return <>{children}</>;
}
