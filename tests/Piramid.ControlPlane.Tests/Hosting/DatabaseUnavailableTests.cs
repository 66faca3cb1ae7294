using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Hosting;

namespace Piramid.ControlPlane.Tests.Hosting;

/// <summary>
/// A database that gives no connection is a 503 with Retry-After, and the control plane's pool stays below
/// PostgreSQL's default connection limit unless its connection string says otherwise.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    [Theory]
    [InlineData("53300")] // too_many_connections: what 500 tenants polled at once met
    [InlineData("53200")] // out_of_memory
    [InlineData("57P03")] // cannot_connect_now: the server is starting
    public async Task RefusedConnection_IsA503WithRetryAfter_EvenWrappedByEntityFramework(string sqlState)
    {
        var refused = new PostgresException("refused", "FATAL", "FATAL", sqlState);
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused);

        var context = NewContext();
        Assert.True(await new DatabaseUnavailableHandler().TryHandleAsync(context, wrapped, CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task AnswerOfTheServer_AndOtherFailures_AreLeftToTheDefaultHandler()
    {
        var unique = new PostgresException("duplicate", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        Assert.False(await new DatabaseUnavailableHandler().TryHandleAsync(NewContext(), new InvalidOperationException("x", unique), CancellationToken.None));
        Assert.False(await new DatabaseUnavailableHandler().TryHandleAsync(NewContext(), new InvalidOperationException("bug"), CancellationToken.None));
    }

    [Fact]
    public void PoolLimit_IsAddedUnlessTheConnectionStringNamesOne()
    {
        var added = new NpgsqlConnectionStringBuilder(ControlPlaneDatabase.WithPoolLimit("Host=127.0.0.1;Port=5432;Username=piramid;Database=piramid"));
        Assert.Equal(ControlPlaneDatabase.DefaultMaxPoolSize, added.MaxPoolSize);
        Assert.Equal("piramid", added.Database);
        Assert.True(ControlPlaneDatabase.DefaultMaxPoolSize < 97, "below PostgreSQL's default 100 connections minus the 3 reserved for superusers");

        foreach (var named in new[] { "Maximum Pool Size=7", "MaxPoolSize=7", "maximum pool size=7" })
        {
            Assert.Equal(7, new NpgsqlConnectionStringBuilder(ControlPlaneDatabase.WithPoolLimit($"Host=127.0.0.1;{named};Database=x")).MaxPoolSize);
        }
    }

    private static DefaultHttpContext NewContext()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services, Response = { Body = new MemoryStream() } };
    }
}
