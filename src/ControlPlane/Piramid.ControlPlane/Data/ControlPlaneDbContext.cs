using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data;

/// <summary>
/// The control plane's PostgreSQL database: the source of truth for tenants, plans, keys, engines and
/// the audit trail, plus OpenIddict's applications, authorizations, scopes and tokens.
/// Tables and columns are snake_case. Migrations live in <c>Data/Migrations</c> and are applied only by
/// the explicit <c>migrate</c> command.
/// </summary>
public sealed class ControlPlaneDbContext(DbContextOptions<ControlPlaneDbContext> options) : DbContext(options)
{
    /// <summary>Plans.</summary>
    public DbSet<Plan> Plans => Set<Plan>();

    /// <summary>Tenants.</summary>
    public DbSet<Tenant> Tenants => Set<Tenant>();

    /// <summary>API keys (hashes only).</summary>
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    /// <summary>Operators.</summary>
    public DbSet<Operator> Operators => Set<Operator>();

    /// <summary>People who sign in (operators are users with the platform-admin flag).</summary>
    public DbSet<User> Users => Set<User>();

    /// <summary>Users' memberships of tenants, with roles.</summary>
    public DbSet<TenantMember> TenantMembers => Set<TenantMember>();

    /// <summary>Invitations to join tenants (tokens stored hashed).</summary>
    public DbSet<Invitation> Invitations => Set<Invitation>();

    /// <summary>Engines.</summary>
    public DbSet<EngineRecord> Engines => Set<EngineRecord>();

    /// <summary>Control-plane audit trail.</summary>
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    /// <summary>Stored replies for Idempotency-Key.</summary>
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    /// <summary>The gateway's change feed.</summary>
    public DbSet<ChangeEvent> ChangeEvents => Set<ChangeEvent>();

    /// <summary>Request units per tenant and day.</summary>
    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    /// <summary>Usage reports already applied, by id.</summary>
    public DbSet<UsageReportReceipt> UsageReportReceipts => Set<UsageReportReceipt>();

    /// <summary>The last storage sample of each tenant.</summary>
    public DbSet<StorageSample> StorageSamples => Set<StorageSample>();

    /// <summary>Each tenant's Stripe customer, subscription and payment status.</summary>
    public DbSet<BillingAccount> BillingAccounts => Set<BillingAccount>();

    /// <summary>Usage to send to Stripe as meter events, and what was sent.</summary>
    public DbSet<MeterEventRecord> MeterEvents => Set<MeterEventRecord>();

    /// <summary>Ids of the Stripe webhook events applied.</summary>
    public DbSet<StripeEventReceipt> StripeEventReceipts => Set<StripeEventReceipt>();

    /// <summary>Long-running operations (backups, restores, exports, imports).</summary>
    public DbSet<Operation> Operations => Set<Operation>();

    /// <summary>Backups and where they stand.</summary>
    public DbSet<Backup> Backups => Set<Backup>();

    /// <summary>Archived WAL segments (point-in-time recovery).</summary>
    public DbSet<WalArchiveSegment> WalArchive => Set<WalArchiveSegment>();

    /// <summary>Collection ids the log archive knows, with their lifetimes and archived origins.</summary>
    public DbSet<WalArchiveCollection> WalArchiveCollections => Set<WalArchiveCollection>();

    /// <summary>Later versions of collections' settings files in the log archive.</summary>
    public DbSet<WalArchiveSettingsVersion> WalArchiveSettings => Set<WalArchiveSettingsVersion>();

    /// <summary>Each tenant's log archiver position.</summary>
    public DbSet<WalArchiveCursor> WalArchiveCursors => Set<WalArchiveCursor>();

    /// <summary>Signed heads of the engines' audit logs.</summary>
    public DbSet<AuditAnchorRecord> AuditAnchors => Set<AuditAnchorRecord>();

    /// <summary>Each tenant's audit sink and its delivery cursor.</summary>
    public DbSet<AuditSinkRecord> AuditSinks => Set<AuditSinkRecord>();

    /// <summary>Heads of the control-plane audit chains.</summary>
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    /// <summary>Per-tenant request counts, latency histograms and samples per minute, for the charts.</summary>
    public DbSet<RequestMinuteRecord> RequestMinutes => Set<RequestMinuteRecord>();

    /// <summary>Saves, chaining new audit events in the same transaction (<see cref="Auditing.AuditChain"/>).</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!Auditing.AuditChain.HasPending(this))
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (Database.CurrentTransaction is not null)
        {
            await Auditing.AuditChain.LinkAsync(this, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await Auditing.AuditChain.LinkAsync(this, cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>Audit events are chained by <see cref="SaveChangesAsync(bool, CancellationToken)"/> only.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) => Auditing.AuditChain.HasPending(this)
        ? throw new InvalidOperationException("Save audit events with SaveChangesAsync, which chains them.")
        : base.SaveChanges(acceptAllChangesOnSuccess);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ControlPlaneDbContext).Assembly);
        modelBuilder.UseOpenIddict();
    }
}
