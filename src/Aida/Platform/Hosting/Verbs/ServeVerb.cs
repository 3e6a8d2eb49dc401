using System.CommandLine;
using Aida.Features.Customers;
using Aida.Platform.Data;

namespace Aida.Platform.Hosting.Verbs;

public static class ServeVerb
{
    private static readonly Option<string?> Urls = new("--urls")
    {
        Description = $"Addresses to listen on, separated by ';' (default {AidaSettings.DefaultUrls}).",
    };

    private static readonly Option<bool> Demo = new("--demo")
    {
        Description = "Fill an empty database with realistic demo data before serving.",
    };

    private static readonly Option<bool> Migrate = new("--migrate")
    {
        Description = "Apply pending PostgreSQL migrations on start (SQLite is always migrated on start).",
    };

    public static Command Create()
    {
        var serve = new Command("serve", "Run the HTTP API server (the default verb).");
        AddTo(serve);
        return serve;
    }

    public static void AddTo(Command command)
    {
        command.Options.Add(Urls);
        command.Options.Add(Demo);
        command.Options.Add(Migrate);
        command.SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var configuration = Cli.Configuration(parse,
            ("Urls", parse.GetValue(Urls)),
            ("Demo", parse.GetValue(Demo) ? "true" : null),
            ("Database:Migrate", parse.GetValue(Migrate) ? "true" : null));
        var settings = AidaSettings.From(configuration);
        await using var app = Program.BuildServer(settings, configuration);
        try
        {
            await Startup.PrepareDatabaseAsync(app.Services, settings, cancellationToken);
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync($"aida: {e.Message}");
            return 2;
        }

        if (settings.Demo)
        {
            var seeded = await DemoData.EnsureAsync(app.Services, DemoData.DefaultCustomers, cancellationToken);
            app.Logger.LogInformation("Demo data: {Seeded} customers added", seeded);
        }

        app.Lifetime.ApplicationStarted.Register(() =>
            app.Logger.LogInformation("Aida is ready on {Urls}; API reference at /api/docs", string.Join(", ", app.Urls)));

        await app.RunAsync(cancellationToken);
        return 0;
    }
}
