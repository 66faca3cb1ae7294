import { formatTime } from "../shared/formatTime";

const labels: Record<string, string> = { active: "active", past_due: "past due", canceled: "canceled", none: "none" };

/** A tenant's payment status as a badge; a past-due one carries its grace end (when writes stop). */
export function PaymentStatusBadge({ status, writesRefusedFrom }: { status: string | null | undefined; writesRefusedFrom?: string | null }) {
  const value = status ?? "none";
  return (
    <span className={`badge payment-${value}`}>
      {labels[value] ?? value}
      {value === "past_due" && writesRefusedFrom ? ` · writes stop ${formatTime(writesRefusedFrom)}` : ""}
    </span>
  );
}
