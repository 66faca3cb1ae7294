using Piramid.Terraform.Protocol.Values;
using static Piramid.Terraform.Tests.PlanHarness;

namespace Piramid.Terraform.Tests;

/// <summary>Each resource's diff rules: what is unknown on create, what changes in place, what forces replacement.</summary>
public sealed class ResourcePlanTests
{
    private static readonly TfValue TenantState = Obj(("id", S("ten_1")), ("name", S("acme")), ("plan", S("free")), ("status", S("active")));

    private static readonly TfValue CollectionConfig = Obj(("tenant_id", S("ten_1")), ("name", S("docs")), ("dimension", N(384)),
        ("index", Obj(("type", S("hnsw")), ("ef", N(64)))), ("schema", Obj(("year", S("integer")))));

    private static readonly TfValue CollectionState = Obj(("id", S("ten_1/docs")), ("tenant_id", S("ten_1")), ("name", S("docs")), ("dimension", N(384)),
        ("metric", S("cosine")), ("index", Obj(("type", S("hnsw")), ("m", N(16)), ("ef_construction", N(200)), ("ef", N(64)))),
        ("quantization", S("none")), ("schema", Obj(("year", S("integer")))), ("force_destroy", TfValue.Null));

    private static readonly TfValue KeyState = Obj(("id", S("k1")), ("tenant_id", S("ten_1")), ("name", S("search")), ("role", S("read_only")),
        ("collections", Set("docs", "faq")), ("expires_at", TfValue.Null), ("key", S("pk_secret")));

    [Fact]
    public void Tenant_Create_LeavesIdStatusAndUnsetPlanUnknown()
    {
        var plan = Plan("piramid_tenant", TfValue.Null, Obj(("name", S("acme"))));
        Assert.True(plan.Planned["id"].IsUnknown);
        Assert.True(plan.Planned["status"].IsUnknown);
        Assert.True(plan.Planned["plan"].IsUnknown);
        Assert.Equal("acme", plan.Planned.GetString("name"));
    }

    [Fact]
    public void Tenant_SameConfig_PlansNoChange()
    {
        var plan = Plan("piramid_tenant", TenantState, Obj(("name", S("acme"))));
        Assert.Equal(TenantState, plan.Planned);
        Assert.Empty(plan.RequiresReplace);
    }

    [Fact]
    public void Tenant_RenameAndReplan_ChangeInPlace_KeepingId()
    {
        var plan = Plan("piramid_tenant", TenantState, Obj(("name", S("acme-2")), ("plan", S("team"))));
        Assert.Empty(plan.RequiresReplace);
        Assert.Equal("ten_1", plan.Planned.GetString("id"));
        Assert.Equal("team", plan.Planned.GetString("plan"));
    }

    [Fact]
    public void Collection_Create_FillsUnsetSettingsAfterApply()
    {
        var plan = Plan("piramid_collection", TfValue.Null, CollectionConfig);
        Assert.True(plan.Planned["id"].IsUnknown);
        Assert.True(plan.Planned["metric"].IsUnknown);
        Assert.True(plan.Planned["index"]["m"].IsUnknown);
        Assert.Equal(64, plan.Planned["index"].GetNumber("ef"));
    }

    [Fact]
    public void Collection_SameConfig_PlansNoChange()
    {
        var plan = Plan("piramid_collection", CollectionState, CollectionConfig);
        Assert.Equal(CollectionState, plan.Planned);
        Assert.Empty(plan.RequiresReplace);
    }

    [Theory]
    [InlineData("dimension", "dimension")]
    [InlineData("metric", "metric")]
    [InlineData("quantization", "quantization")]
    [InlineData("name", "name")]
    [InlineData("schema", "schema")]
    [InlineData("index.type", "index.type")]
    [InlineData("index.m", "index.m")]
    [InlineData("index.ef_construction", "index.ef_construction")]
    public void Collection_SettingsTheEngineCannotChange_RequireReplacement(string attribute, string path)
    {
        var config = attribute switch
        {
            "dimension" => CollectionConfig.With("dimension", N(768)),
            "metric" => CollectionConfig.With("metric", S("dot")),
            "quantization" => CollectionConfig.With("quantization", S("int8")),
            "name" => CollectionConfig.With("name", S("docs2")),
            "schema" => CollectionConfig.With("schema", Obj(("year", S("float")))),
            "index.type" => CollectionConfig.With("index", Obj(("type", S("flat")))),
            "index.m" => CollectionConfig.With("index", CollectionConfig["index"].With("m", N(32))),
            _ => CollectionConfig.With("index", CollectionConfig["index"].With("ef_construction", N(400))),
        };

        var plan = Plan("piramid_collection", CollectionState, config);

        Assert.Contains(path, Replaced(plan));
        Assert.True(plan.Planned["id"].IsUnknown, "a replaced collection's id is known only after apply");
    }

    [Fact]
    public void Collection_EfChange_IsAnUpdateInPlace_KeepingIdAndTheOtherSettings()
    {
        var plan = Plan("piramid_collection", CollectionState, CollectionConfig.With("index", CollectionConfig["index"].With("ef", N(128))));
        Assert.Empty(plan.RequiresReplace);
        Assert.Equal("ten_1/docs", plan.Planned.GetString("id"));
        Assert.Equal(128, plan.Planned["index"].GetNumber("ef"));
        Assert.Equal(16, plan.Planned["index"].GetNumber("m"));
        Assert.Equal(CollectionState.With("index", CollectionState["index"].With("ef", N(128))), plan.Planned);
    }

    [Fact]
    public void Collection_ForceDestroy_ChangesInPlace()
    {
        var plan = Plan("piramid_collection", CollectionState, CollectionConfig.With("force_destroy", TfValue.Bool(true)));
        Assert.Empty(plan.RequiresReplace);
        Assert.Equal(true, plan.Planned.GetBool("force_destroy"));
        Assert.Equal("ten_1/docs", plan.Planned.GetString("id"));
    }

    [Fact]
    public void ApiKey_Create_SecretKnownOnlyAfterApply()
    {
        var plan = Plan("piramid_api_key", TfValue.Null, Obj(("tenant_id", S("ten_1")), ("name", S("search")), ("role", S("read_only"))));
        Assert.True(plan.Planned["key"].IsUnknown);
        Assert.True(plan.Planned["id"].IsUnknown);
        Assert.True(plan.Planned["collections"].IsNull);
    }

    [Fact]
    public void ApiKey_ScopeChange_IsAnUpdateInPlace_KeepingIdAndSecret()
    {
        var plan = Plan("piramid_api_key", KeyState, Obj(("tenant_id", S("ten_1")), ("name", S("search")), ("role", S("read_only")), ("collections", Set("docs"))));
        Assert.Empty(plan.RequiresReplace);
        Assert.Equal("k1", plan.Planned.GetString("id"));
        Assert.Equal("pk_secret", plan.Planned.GetString("key"));
        Assert.Equal(["docs"], plan.Planned["collections"].Items.Select(i => i.AsString()));
    }

    [Fact]
    public void ApiKey_SameScopeInAnotherOrder_PlansNoChange()
    {
        var plan = Plan("piramid_api_key", KeyState, Obj(("tenant_id", S("ten_1")), ("name", S("search")), ("role", S("read_only")), ("collections", Set("faq", "docs"))));
        Assert.Empty(plan.RequiresReplace);
        Assert.Equal("pk_secret", plan.Planned.GetString("key"));
    }

    [Theory]
    [InlineData("role", "read_write")]
    [InlineData("tenant_id", "ten_2")]
    public void ApiKey_TenantOrRoleChange_ReplacesTheKey_WithANewSecret(string attribute, string value)
    {
        var config = Obj(("tenant_id", S("ten_1")), ("name", S("search")), ("role", S("read_only")), ("collections", Set("docs", "faq"))).With(attribute, S(value));
        var plan = Plan("piramid_api_key", KeyState, config);
        Assert.Equal([attribute], Replaced(plan));
        Assert.True(plan.Planned["key"].IsUnknown);
    }

    [Theory]
    [InlineData("name", "other")]
    [InlineData("expires_at", "2030-01-01T00:00:00Z")]
    public void ApiKey_NameOrExpiryChange_IsAnUpdateInPlace(string attribute, string value)
    {
        var config = Obj(("tenant_id", S("ten_1")), ("name", S("search")), ("role", S("read_only")), ("collections", Set("docs", "faq"))).With(attribute, S(value));
        var plan = Plan("piramid_api_key", KeyState, config);
        Assert.Empty(plan.RequiresReplace);
        Assert.Equal(value, plan.Planned.GetString(attribute));
        Assert.Equal("pk_secret", plan.Planned.GetString("key"));
    }

    [Fact]
    public void Plan_LimitChangesInPlace_IdChangeReplaces()
    {
        var state = Obj(("id", S("team")), ("name", S("Team")), ("max_points", N(10)));
        Assert.Empty(Plan("piramid_plan", state, Obj(("id", S("team")), ("name", S("Team")), ("max_points", N(20)))).RequiresReplace);
        Assert.Equal(["id"], Replaced(Plan("piramid_plan", state, Obj(("id", S("team2")), ("name", S("Team")), ("max_points", N(10))))));
    }

    [Fact]
    public void Member_RoleChangesInPlace_EmailChangeReplaces()
    {
        var member = Obj(("id", S("ten_1/a@x.io")), ("tenant_id", S("ten_1")), ("email", S("a@x.io")), ("role", S("viewer")),
            ("status", S("member")), ("user_id", S("u1")), ("invite_url", TfValue.Null));
        var config = Obj(("tenant_id", S("ten_1")), ("email", S("a@x.io")), ("role", S("admin")));

        var roleChange = Plan("piramid_member", member, config);
        Assert.Empty(roleChange.RequiresReplace);
        Assert.Equal("member", roleChange.Planned.GetString("status"));

        Assert.Equal(["email"], Replaced(Plan("piramid_member", member, config.With("email", S("b@x.io")))));
    }

    [Fact]
    public void Member_RoleChangeWhileInvited_IsANewInvitation()
    {
        var invited = Obj(("id", S("ten_1/a@x.io")), ("tenant_id", S("ten_1")), ("email", S("a@x.io")), ("role", S("viewer")),
            ("status", S("invited")), ("user_id", TfValue.Null), ("invite_url", S("http://x/#token=1")));
        var plan = Plan("piramid_member", invited, Obj(("tenant_id", S("ten_1")), ("email", S("a@x.io")), ("role", S("admin"))));
        Assert.True(plan.Planned["invite_url"].IsUnknown);
    }
}
