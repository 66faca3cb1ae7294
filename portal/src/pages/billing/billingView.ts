/** An amount in a currency (ISO code, any case), as the reader's locale writes money. */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(amount);
  } catch {
    // An unknown code: the number and the code, rather than nothing.
    return `${amount.toFixed(2)} ${currency.toUpperCase()}`;
  }
}

/** A count of units or GB-hours against what the plan includes: "1,200 of 1,000,000 included". */
export function againstIncluded(used: number, included: number, digits = 0, locale?: string): string {
  const format = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return `${format(used)} of ${format(included)} included`;
}

/** The share of the included amount used, 0..100 (more than included shows 100). */
export function percentUsed(used: number, included: number): number {
  if (included <= 0) return used > 0 ? 100 : 0;
  return Math.min(100, Math.round((used / included) * 100));
}

/** What a payment status means, in words; `writesRefusedFrom` is when a past-due tenant's writes stop (its grace end). */
export function paymentStatusText(status: string, writesRefusedFrom: string | null | undefined, now: Date, when: (iso: string) => string): string {
  switch (status) {
    case "active":
      return "Active: payments are in order.";
    case "past_due":
      if (!writesRefusedFrom) return "Past due: an invoice could not be paid.";
      return new Date(writesRefusedFrom).getTime() <= now.getTime()
        ? `Past due: writes are refused since ${when(writesRefusedFrom)} (reads go on). Pay the open invoice to lift it.`
        : `Past due: an invoice could not be paid. Writes are refused from ${when(writesRefusedFrom)} unless it is paid.`;
    case "canceled":
      return "Canceled: the subscription was deleted and the tenant is suspended.";
    default:
      return "None: no subscription yet.";
  }
}
