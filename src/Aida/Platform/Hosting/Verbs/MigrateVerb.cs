using System.CommandLine;

namespace Aida.Platform.Hosting.Verbs;

public static class MigrateVerb
{
    public static Command Create()
    {
        var migrate = Cli.AddDatabaseOptions(new Command("migrate", "Apply pending schema migrations to the database, under a lock, and exit."));
        migrate.SetAction(async (parse, cancellationToken) =>
        {
            var settings = AidaSettings.From(Cli.Configuration(parse));
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
            var runner = new MigrationRunner(settings.Database, loggers.CreateLogger<MigrationRunner>());
            try
            {
                var applied = await runner.MigrateAsync(cancellationToken);
                var status = await runner.GetStatusAsync(cancellationToken);
                Console.WriteLine($"{settings.Database.Describe()}: {applied} migration(s) applied; schema at version {status.Applied.Count}.");
                return 0;
            }
            catch (MigrationException e)
            {
                await Console.Error.WriteLineAsync($"aida: {e.Message}");
                return 2;
            }
        });
        return migrate;
    }
}
