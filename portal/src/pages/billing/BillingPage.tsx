import { useState } from "react";
import { useTenantId } from "../../shell/useTenantId";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TenantAdminOnly } from "../shared/TenantAdminOnly";
import { formatTime } from "../shared/formatTime";
import { PaymentStatusBadge } from "./PaymentStatusBadge";
import { againstIncluded, formatMoney, paymentStatusText, percentUsed } from "./billingView";
import { useBilling, useBillingSessions, type BillingInvoice, type TenantBilling } from "./billingQueries";
import "../shared/managementPages.css";
import "./billing.css";

interface Props {
  /** Opens a Stripe session's URL (the browser leaves the portal); tests pass their own. */
  open?: (url: string) => void;
  now?: () => Date;
}

/**
 * `/t/:tenantId/billing` (owners, admins, operators): the plan, the payment status, this month's usage against what
 * the plan includes with the estimated amount, Stripe's invoices, and buttons to Stripe Checkout (add a payment
 * method) and the Customer Portal. Without Stripe the platform meters and estimates only, and the page says so.
 */
export function BillingPage(props: Props) {
  return (
    <TenantAdminOnly title="Billing" what="billing">
      <Billing {...props} />
    </TenantAdminOnly>
  );
}

function Billing({ open = (url) => window.location.assign(url), now = () => new Date() }: Props) {
  const tenantId = useTenantId();
  const billing = useBilling(tenantId);
  const { checkout, portal } = useBillingSessions(tenantId);
  const [failure, setFailure] = useState<unknown>(null);

  async function go(session: typeof checkout) {
    setFailure(null);
    try {
      open((await session.mutateAsync()).url);
    } catch (error) {
      setFailure(error);
    }
  }

  return (
    <section>
      <h1>Billing</h1>
      <PageState loading={billing.isPending} label="Loading billing" error={billing.error}>
        {billing.data && (
          <BillingDetails
            billing={billing.data}
            now={now()}
            busy={checkout.isPending || portal.isPending}
            onCheckout={() => void go(checkout)}
            onPortal={() => void go(portal)}
          />
        )}
      </PageState>
      <ProblemMessage error={failure} />
    </section>
  );
}

function BillingDetails({
  billing,
  now,
  busy,
  onCheckout,
  onPortal,
}: {
  billing: TenantBilling;
  now: Date;
  busy: boolean;
  onCheckout: () => void;
  onPortal: () => void;
}) {
  const p = billing.period;
  const meters = [
    { name: "Read units", used: p.read_units ?? 0, included: p.included_read_units ?? 0, digits: 0 },
    { name: "Write units", used: p.write_units ?? 0, included: p.included_write_units ?? 0, digits: 0 },
    { name: "Storage (GB-hours)", used: p.storage_gb_hours ?? 0, included: p.included_storage_gb_hours ?? 0, digits: 2 },
  ];
  const invoices = billing.invoices ?? [];
  const invoiceColumns: Column<BillingInvoice>[] = [
    { header: "Number", cell: (i) => i.number ?? "—" },
    { header: "Period", cell: (i) => `${formatTime(i.period_start)} – ${formatTime(i.period_end)}` },
    { header: "Amount", cell: (i) => formatMoney(i.amount ?? 0, i.currency), numeric: true },
    { header: "Status", cell: (i) => i.status },
    {
      header: "Invoice",
      cell: (i) =>
        i.url ? (
          <a href={i.url} target="_blank" rel="noreferrer">
            View invoice {i.number ?? ""}
          </a>
        ) : (
          "—"
        ),
    },
  ];

  return (
    <>
      {!billing.stripe_enabled && (
        <p className="notice" role="status">
          Metering only: this platform runs without Stripe. Usage and the estimate below are computed as an invoice would
          be, but nothing is charged and there are no invoices or payment methods.
        </p>
      )}
      <dl className="billing-summary">
        <dt>Plan</dt>
        <dd>{billing.plan}</dd>
        <dt>Payment status</dt>
        <dd>
          <PaymentStatusBadge status={billing.payment_status} writesRefusedFrom={billing.writes_refused_from} />{" "}
          <span>{paymentStatusText(billing.payment_status, billing.writes_refused_from, now, (iso) => formatTime(iso))}</span>
          {billing.cancel_at_period_end && <span> The subscription ends at the end of this period.</span>}
        </dd>
        <dt>Estimated this period</dt>
        <dd>
          <strong>{formatMoney(p.estimated_amount ?? 0, p.currency)}</strong>{" "}
          <span className="muted">
            ({p.start} to {p.end}, UTC; the plan&apos;s monthly price plus usage beyond what it includes)
          </span>
        </dd>
      </dl>

      <h2>Usage this period</h2>
      <ul className="billing-meters">
        {meters.map((m) => (
          <li key={m.name}>
            <span className="meter-name">{m.name}</span>
            <meter min={0} max={100} value={percentUsed(m.used, m.included)} aria-label={`${m.name} used of included`} />
            <span>{againstIncluded(m.used, m.included, m.digits)}</span>
          </li>
        ))}
      </ul>

      {billing.stripe_enabled && (
        <>
          <h2>Payment method</h2>
          <div className="actions">
            <button type="button" className="primary" onClick={onCheckout} disabled={busy}>
              Add a payment method
            </button>
            <button type="button" onClick={onPortal} disabled={busy}>
              Manage billing in Stripe
            </button>
          </div>
          <p className="hint">Plan changes are made by the platform&apos;s operators, or in Stripe&apos;s billing portal where it offers them.</p>
          <h2>Invoices</h2>
          {invoices.length === 0 ? (
            <p>No invoices yet.</p>
          ) : (
            <DataTable caption="Invoices" columns={invoiceColumns} rows={invoices} rowKey={(i) => `${i.number}-${i.period_start}`} />
          )}
        </>
      )}
    </>
  );
}
