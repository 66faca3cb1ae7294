using Npgsql;

namespace Piramid.ControlPlane.Tests.Support;

/// <summary>
/// A digest of every table a request may write (engines excluded: the supervisor updates them on its own),
/// so a test can prove that a refused request left nothing behind.
/// </summary>
public static class DatabaseFingerprint
{
    private static readonly string[] Tables =
        ["tenants", "api_keys", "plans", "audit_events", "change_events", "usage_records", "usage_report_receipts", "operators"];

    /// <summary>One md5 per table of its rows as text, ordered.</summary>
    public static async Task<string> TakeAsync(ControlPlaneHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var connectionString = host.App.Configuration.GetConnectionString("ControlPlane");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var parts = new List<string>();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t", connection);
            parts.Add($"{table}:{await command.ExecuteScalarAsync()}");
        }

        return string.Join(' ', parts);
    }
}
