namespace Aida.Platform.Hosting;

public static class Startup
{
    /// <summary>
    /// Brings the schema up to date before the server takes requests. The embedded SQLite database is
    /// migrated on start (one node, nothing to coordinate). A PostgreSQL database is only migrated when
    /// asked (<c>aida migrate</c> or <c>serve --migrate</c>), so an upgrade of shared production data is
    /// always a deliberate act; otherwise start-up refuses to run against an out-of-date schema.
    /// Throws <see cref="MigrationException"/> with a message for a person when it cannot go on.
    /// </summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, AidaSettings settings, CancellationToken cancellationToken)
    {
        var runner = services.GetRequiredService<MigrationRunner>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Aida.Startup");
        if (settings.Database.SqliteFile is { } file && !File.Exists(file))
        {
            logger.LogInformation("Creating a new database: {Database}", settings.Database.Describe());
        }

        if (services.GetRequiredService<DatabaseDialect>().MigratesOnStart || settings.Migrate)
        {
            var applied = await runner.MigrateAsync(cancellationToken);
            logger.LogInformation("Database ready: {Database}; {Applied} migration(s) applied", settings.Database.Describe(), applied);
            return;
        }

        var status = await runner.GetStatusAsync(cancellationToken);
        if (!status.IsCurrent)
        {
            throw new MigrationException(
                $"The database has {status.Pending.Count} pending migration(s) ({string.Join(", ", status.Pending.Select(m => m.Name))}). " +
                "Run 'aida migrate --database …' first, or start the server with --migrate.");
        }

        logger.LogInformation("Database ready: {Database}", settings.Database.Describe());
    }
}
