using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Piramid.ControlPlane.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ControlPlaneDbContext>
{
    public ControlPlaneDbContext CreateDbContext(string[] args) =>
        new(ControlPlaneDatabase.Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), "Host=127.0.0.1;Database=design").Options);
}
