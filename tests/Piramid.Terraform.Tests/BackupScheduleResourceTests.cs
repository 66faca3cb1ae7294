using System.Text.Json.Nodes;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Resources;
using static Piramid.Terraform.Tests.PlanHarness;

namespace Piramid.Terraform.Tests;

/// <summary><c>piramid_backup_schedule</c>: its diff rules, its bounds, and how a plan's API form maps to it.</summary>
public sealed class BackupScheduleResourceTests
{
    private static readonly TfValue State = Obj(("id", S("team")), ("plan_id", S("team")), ("backup_interval_hours", N(24)),
        ("backup_retention_days", N(7)), ("pitr_window_hours", N(24)));

    [Fact]
    public void Create_LeavesIdAndUnsetFieldsUnknown_TheyAreThePlansValues()
    {
        var plan = Plan("piramid_backup_schedule", TfValue.Null, Obj(("plan_id", S("team")), ("backup_interval_hours", N(12))));
        Assert.True(plan.Planned["id"].IsUnknown);
        Assert.True(plan.Planned["backup_retention_days"].IsUnknown);
        Assert.True(plan.Planned["pitr_window_hours"].IsUnknown);
        Assert.Equal(12, plan.Planned.GetNumber("backup_interval_hours"));
    }

    [Theory]
    [InlineData("backup_interval_hours", 6)]
    [InlineData("backup_retention_days", 30)]
    [InlineData("pitr_window_hours", 0)]
    public void EveryScheduleField_ChangesInPlace(string attribute, double value)
    {
        var config = Obj(("plan_id", S("team")), ("backup_interval_hours", N(24)), ("backup_retention_days", N(7)), ("pitr_window_hours", N(24)))
            .With(attribute, N(value));
        var plan = Plan("piramid_backup_schedule", State, config);
        Assert.Empty(plan.RequiresReplace);
        Assert.Equal(value, plan.Planned.GetNumber(attribute));
        Assert.Equal("team", plan.Planned.GetString("id"));
    }

    [Fact]
    public void SameConfig_PlansNoChange_UnsetOptionalFieldsKeepThePlansValues()
    {
        var plan = Plan("piramid_backup_schedule", State, Obj(("plan_id", S("team")), ("backup_interval_hours", N(24))));
        Assert.Equal(State, plan.Planned);
    }

    [Fact]
    public void AnotherPlan_ReplacesTheSchedule()
    {
        var plan = Plan("piramid_backup_schedule", State, Obj(("plan_id", S("pro")), ("backup_interval_hours", N(24))));
        Assert.Equal(["plan_id"], Replaced(plan));
    }

    [Theory]
    [InlineData("backup_interval_hours", 0)]
    [InlineData("backup_interval_hours", 8_761)]
    [InlineData("backup_interval_hours", 1.5)]
    [InlineData("backup_retention_days", 0)]
    [InlineData("backup_retention_days", 3_651)]
    [InlineData("pitr_window_hours", -1)]
    [InlineData("pitr_window_hours", 2_161)]
    public void OutOfRange_IsAnErrorAtTheAttribute(string attribute, double value)
    {
        var diagnostics = new DiagnosticList();
        Resource("piramid_backup_schedule").Validate(Obj(("plan_id", S("team")), ("backup_interval_hours", N(24))).With(attribute, N(value)), diagnostics);

        var error = Assert.Single(diagnostics.Items);
        Assert.Equal(attribute, error.Path?.ToString());
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(8_760, 3_650, 2_160)]
    public void Bounds_AreAccepted(double interval, double retention, double window)
    {
        var diagnostics = new DiagnosticList();
        Resource("piramid_backup_schedule").Validate(Obj(("plan_id", S("team")), ("backup_interval_hours", N(interval)),
            ("backup_retention_days", N(retention)), ("pitr_window_hours", N(window))), diagnostics);
        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public void APlanWithoutInterval_HasNoSchedule_SoAScheduleTurnedOffOutsideIsRecreated()
    {
        var off = JsonNode.Parse("""{"id":"team","backup_interval_hours":null,"backup_retention_days":7,"pitr_window_hours":0}""")!;
        Assert.Null(BackupScheduleResource.FromApi(off));

        var on = JsonNode.Parse("""{"id":"team","backup_interval_hours":24,"backup_retention_days":7,"pitr_window_hours":24}""")!;
        Assert.Equal(State, BackupScheduleResource.FromApi(on));
    }
}
