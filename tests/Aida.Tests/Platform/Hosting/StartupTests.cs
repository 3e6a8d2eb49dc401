using Aida.Platform.Data;
using Aida.Platform.Hosting;
using Aida.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aida.Tests.Platform.Hosting;

/// <summary>
/// PostgreSQL only: shared production data is migrated only when asked (<c>aida migrate</c> or
/// <c>--migrate</c>), so an upgrade is a deliberate act. SQLite, the embedded default, always migrates on start.
/// </summary>
public sealed class StartupTests
{
    [Fact]
    public async Task PrepareDatabase_PostgresEmptyWithoutMigrate_RefusesAndSaysToRunAidaMigrate()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres, migrated: false);
        var (server, settings) = Build(database);
        await using var _ = server;

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => Startup.PrepareDatabaseAsync(server.Services, settings with { Migrate = false }, CancellationToken.None));

        Assert.Contains("aida migrate", error.Message, StringComparison.Ordinal);
        var status = await new MigrationRunner(database.Settings, NullLogger<MigrationRunner>.Instance).GetStatusAsync(CancellationToken.None);
        Assert.Empty(status.Applied);
    }

    [Fact]
    public async Task PrepareDatabase_PostgresCurrentWithoutMigrate_Succeeds()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var (server, settings) = Build(database);
        await using var _ = server;

        await Startup.PrepareDatabaseAsync(server.Services, settings with { Migrate = false }, CancellationToken.None);
    }

    private static (WebApplication Server, AidaSettings Settings) Build(TestDatabase database)
    {
        var configuration = AidaSettings.LoadConfiguration(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["DataDir"] = database.DataDirectory,
            ["Database:ConnectionString"] = database.Settings.ConnectionString,
        });
        var settings = AidaSettings.From(configuration);
        return (Program.BuildServer(settings, configuration), settings);
    }
}
