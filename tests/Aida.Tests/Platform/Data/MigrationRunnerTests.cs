using Aida.Platform.Data;
using Aida.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aida.Tests.Platform.Data;

/// <summary>
/// The schema is owned by versioned SQL migrations: applied in order, recorded with checksums, never
/// applied twice, and a history this build cannot vouch for stops start-up before anything changes.
/// </summary>
public sealed class MigrationRunnerTests
{
    private const string History = "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version";

    public static TheoryData<DatabaseKind, string> TamperedChecksums => DatabaseCases.Cross(
        MigrationRunner.Checksum("-- someone edited this migration after it shipped\n"),
        "edited");

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Migrate_EmptyDatabase_AppliesEveryMigrationAndRecordsVersionNameAndChecksum(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db, migrated: false);
        var embedded = MigrationRunner.Embedded(database.Settings.Provider);

        var applied = await Runner(database).MigrateAsync(CancellationToken.None);

        Assert.NotEmpty(embedded);
        Assert.Equal(embedded.Count, applied);
        var history = await RawSql.QueryAsync(database.Settings, History);
        Assert.Equal(
            embedded.Select(m => $"{m.Version}|{m.Name}|{m.Checksum}"),
            history.Select(r => $"{r[0]}|{r[1]}|{r[2]}"));
        Assert.All(history, r => Assert.False(string.IsNullOrEmpty(r[3])));
        Assert.True((await Runner(database).GetStatusAsync(CancellationToken.None)).IsCurrent);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Migrate_AlreadyCurrent_AppliesNothingAndLeavesHistoryUnchanged(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db, migrated: false);
        await Runner(database).MigrateAsync(CancellationToken.None);
        var before = await RawSql.QueryAsync(database.Settings, History);

        var applied = await Runner(database).MigrateAsync(CancellationToken.None);

        Assert.Equal(0, applied);
        Assert.Equal(before, await RawSql.QueryAsync(database.Settings, History));
    }

    [Theory, MemberData(nameof(TamperedChecksums))]
    public async Task Start_AppliedMigrationChangedSince_RefusesNamingTheMigration(DatabaseKind db, string recordedChecksum)
    {
        await using var database = await TestDatabase.CreateAsync(db, migrated: false);
        await Runner(database).MigrateAsync(CancellationToken.None);
        var first = MigrationRunner.Embedded(database.Settings.Provider)[0];
        await RawSql.ExecuteAsync(database.Settings, $"UPDATE schema_migrations SET checksum = '{recordedChecksum}' WHERE version = {first.Version}");

        var error = await Assert.ThrowsAsync<MigrationException>(() => AidaApp.StartAsync(database));

        Assert.Contains(first.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("was changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Start_AppliedMigrationUnknownToThisBuild_RefusesSayingANewerAidaMigratedIt(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db, migrated: false);
        await Runner(database).MigrateAsync(CancellationToken.None);
        await RawSql.ExecuteAsync(database.Settings,
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, '9999_from_the_future', 'abc', '2099-01-01T00:00:00Z')");

        var error = await Assert.ThrowsAsync<MigrationException>(() => AidaApp.StartAsync(database));

        Assert.Contains("9999_from_the_future", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer Aida", error.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Migrate_TwoRunnersAtOnce_BothSucceedAndEachMigrationIsAppliedOnce(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db, migrated: false);
        var embedded = MigrationRunner.Embedded(database.Settings.Provider);
        using var go = new ManualResetEventSlim();
        var runs = Enumerable.Range(0, 2)
            .Select(_ => Task.Run(async () =>
            {
                go.Wait();
                return await Runner(database).MigrateAsync(CancellationToken.None);
            }))
            .ToList();

        go.Set();
        var applied = await Task.WhenAll(runs);

        Assert.Equal(embedded.Count, applied.Sum());
        var versions = (await RawSql.QueryAsync(database.Settings, History)).Select(r => r[0]);
        Assert.Equal(embedded.Select(m => m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), versions);
    }

    private static MigrationRunner Runner(TestDatabase database) =>
        new(database.Settings, NullLogger<MigrationRunner>.Instance);
}
