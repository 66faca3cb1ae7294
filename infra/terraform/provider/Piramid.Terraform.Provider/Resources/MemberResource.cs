using System.Text.Json.Nodes;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Resources;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;

namespace Piramid.Terraform.Provider.Resources;

/// <summary>
/// <c>piramid_member</c>: a person's membership of a tenant, by email. A person who is not a member yet is invited
/// (status <c>invited</c>, the link in <c>invite_url</c>) and becomes <c>member</c> once they accept; the role of a
/// member changes in place. The API lists no invitations and cannot withdraw one: destroying an open invitation
/// leaves it to expire.
/// </summary>
public sealed class MemberResource(PiramidProvider provider) : ApiResource(provider)
{
    private static readonly TfSchema MemberSchema = new(
    [
        new TfAttribute("id", TfType.String, TfMode.Computed, "<tenant_id>/<email>."),
        new TfAttribute("tenant_id", TfType.String, TfMode.Required, "The tenant.") { RequiresReplace = true },
        new TfAttribute("email", TfType.String, TfMode.Required, "The person's email (lower-case).") { RequiresReplace = true },
        new TfAttribute("role", TfType.String, TfMode.Required, "owner, admin, developer or viewer."),
        new TfAttribute("status", TfType.String, TfMode.Computed, "invited (the invitation is open) or member."),
        new TfAttribute("user_id", TfType.String, TfMode.Computed, "The member's user id (null while invited)."),
        new TfAttribute("invite_url", TfType.String, TfMode.Computed, "The invitation link, shown once (null when the person was a member already).") { Sensitive = true },
    ], "A member of a tenant, invited by email.");

    /// <inheritdoc />
    public override string TypeName => "piramid_member";

    /// <inheritdoc />
    public override TfSchema Schema => MemberSchema;

    /// <inheritdoc />
    protected override string Noun => "member";

    /// <inheritdoc />
    public override void Validate(TfValue config, DiagnosticList diagnostics)
    {
        if (config.GetString("role") is { } role && role is not ("owner" or "admin" or "developer" or "viewer"))
        {
            diagnostics.Error("Invalid role", $"'role' must be owner, admin, developer or viewer; got '{role}'.", AttributePath.Root("role"));
        }

        if (config.GetString("email") is { } email && !string.Equals(email, email.Trim().ToLowerInvariant(), StringComparison.Ordinal))
        {
            diagnostics.Error("Invalid email", $"Write the email in lower case without spaces ('{email.Trim().ToLowerInvariant()}'): the API stores it so.", AttributePath.Root("email"));
        }
    }

    /// <inheritdoc />
    public override void ModifyPlan(ResourcePlan plan, DiagnosticList diagnostics)
    {
        // A new role for someone still invited is a new invitation: its link is new.
        if (!plan.IsCreate && plan.Planned.HasValue && plan.Prior.GetString("status") == "invited"
            && !plan.Prior["role"].Equals(plan.Planned["role"]))
        {
            plan.Planned = plan.Planned.With("invite_url", TfValue.Unknown).With("status", TfValue.Unknown);
        }
    }

    /// <inheritdoc />
    protected override async Task<TfValue> CreateAsync(PiramidApi api, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        var tenant = planned.GetString("tenant_id")!;
        var email = planned.GetString("email")!;
        if (await FindAsync(api, tenant, email, ct) is { } member)
        {
            if ((string?)member["role"] != planned.GetString("role"))
            {
                await api.PatchAsync($"/v1/tenants/{Uri.EscapeDataString(tenant)}/members/{(string)member["user_id"]!}", new JsonObject { ["role"] = planned.GetString("role") }, ct);
            }

            return State(tenant, email, planned.GetString("role")!, "member", (string?)member["user_id"], null);
        }

        return await InviteAsync(api, tenant, email, planned.GetString("role")!, ct);
    }

    /// <inheritdoc />
    protected override async Task<TfValue> UpdateAsync(PiramidApi api, TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        var tenant = prior.GetString("tenant_id")!;
        if (prior.GetString("status") == "invited")
        {
            return await InviteAsync(api, tenant, prior.GetString("email")!, planned.GetString("role")!, ct);
        }

        await api.PatchAsync($"/v1/tenants/{Uri.EscapeDataString(tenant)}/members/{prior.GetString("user_id")}", new JsonObject { ["role"] = planned.GetString("role") }, ct);
        return prior.With("role", planned["role"]);
    }

    /// <inheritdoc />
    protected override async Task DeleteAsync(PiramidApi api, TfValue prior, DiagnosticList diagnostics, CancellationToken ct)
    {
        if (prior.GetString("status") == "invited" && await FindAsync(api, prior.GetString("tenant_id")!, prior.GetString("email")!, ct) is null)
        {
            diagnostics.Warning("Invitation left open", $"The API cannot withdraw invitations: the one for {prior.GetString("email")} stays valid until it expires.");
            return;
        }

        var member = await FindAsync(api, prior.GetString("tenant_id")!, prior.GetString("email")!, ct);
        if (member is null)
        {
            return;
        }

        try
        {
            await api.DeleteAsync($"/v1/tenants/{Uri.EscapeDataString(prior.GetString("tenant_id")!)}/members/{(string)member["user_id"]!}", ct);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
        }
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ReadAsync(PiramidApi api, TfValue state, CancellationToken ct)
    {
        var tenant = state.GetString("tenant_id")!;
        var email = state.GetString("email")!;
        JsonNode? member;
        try
        {
            member = await FindAsync(api, tenant, email, ct);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
            return null;
        }

        if (member is not null)
        {
            return State(tenant, email, (string)member["role"]!, "member", (string?)member["user_id"], state["invite_url"].HasValue ? state.GetString("invite_url") : null);
        }

        // Still invited: nothing to read back. A member who left or was removed is gone.
        return state.GetString("status") == "invited" ? state : null;
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ImportAsync(PiramidApi api, string id, DiagnosticList diagnostics, CancellationToken ct)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == id.Length - 1)
        {
            diagnostics.Error("Invalid import id", $"Import a member as '<tenant_id>/<email>'; got '{id}'.");
            return null;
        }

        var tenant = id[..slash];
        var email = id[(slash + 1)..];
        return await FindAsync(api, tenant, email, ct) is { } member
            ? State(tenant, email, (string)member["role"]!, "member", (string?)member["user_id"], null)
            : null;
    }

    private static async Task<TfValue> InviteAsync(PiramidApi api, string tenant, string email, string role, CancellationToken ct)
    {
        var invitation = await api.PostAsync($"/v1/tenants/{Uri.EscapeDataString(tenant)}/invitations", new JsonObject { ["email"] = email, ["role"] = role }, ct);
        return State(tenant, email, role, "invited", null, (string?)invitation!["invite_url"]);
    }

    private static async Task<JsonNode?> FindAsync(PiramidApi api, string tenant, string email, CancellationToken ct) =>
        (await api.GetAsync($"/v1/tenants/{Uri.EscapeDataString(tenant)}/members", ct))?["members"]?.AsArray()
            .FirstOrDefault(m => string.Equals((string?)m?["email"], email, StringComparison.OrdinalIgnoreCase));

    private static TfValue State(string tenant, string email, string role, string status, string? userId, string? inviteUrl) =>
        TfValue.Object(new Dictionary<string, TfValue>
        {
            ["id"] = TfValue.String($"{tenant}/{email}"),
            ["tenant_id"] = TfValue.String(tenant),
            ["email"] = TfValue.String(email),
            ["role"] = TfValue.String(role),
            ["status"] = TfValue.String(status),
            ["user_id"] = TfValue.StringOrNull(userId),
            ["invite_url"] = TfValue.StringOrNull(inviteUrl),
        });
}
