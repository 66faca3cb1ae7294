import { ProblemMessage } from "../../components/ProblemMessage";
import { useOperation } from "./backupQueries";

/** The state of a backup or restore the person started, in words, polled until it succeeds or fails. */
export function OperationStatus({ tenantId, operationId }: { tenantId: string; operationId: string }) {
  const op = useOperation(tenantId, operationId);
  if (op.error) return <ProblemMessage error={op.error} prefix="The operation could not be followed" />;
  const info = op.data;
  const kind = info?.kind === "restore" ? "Restore" : "Backup";
  let words = "Starting…";
  if (info?.state === "pending") words = `${kind} waiting to start.`;
  if (info?.state === "running") words = `${kind} running: ${Math.round(info.progress.percent ?? 0)}%.`;
  if (info?.state === "succeeded") words = `${kind} done.`;
  const failed = info?.state === "failed" ? (info.error as { detail?: string; title?: string } | undefined) : undefined;
  return (
    <>
      <p role="status" aria-live="polite">
        {info?.state === "failed" ? `${kind} failed.` : words}
      </p>
      {failed && <ProblemMessage error={failed.detail ?? failed.title ?? "failed"} />}
    </>
  );
}
