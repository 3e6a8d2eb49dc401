using System.CommandLine;

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
        await using var app = await CliServer.OpenAsync(configuration, cancellationToken);
        if (app is null)
        {
            return 2;
        }

        var settings = app.Services.GetRequiredService<AidaSettings>();

        if (settings.Demo)
        {
            var seeded = await app.Services.GetRequiredService<IDemoSeeder>().EnsureAsync(cancellationToken);
            app.Logger.LogInformation("Demo data: {Seeded} customers added", seeded);
            await PrintDemoSignInAsync(app, settings, cancellationToken);
        }

        app.Lifetime.ApplicationStarted.Register(() =>
            app.Logger.LogInformation("Aida is ready on {Urls}; API reference at /api/docs", string.Join(", ", app.Urls)));

        await app.RunAsync(cancellationToken);
        return 0;
    }

    /// <summary>Written to standard output, never to the log, so the secrets do not end up in log files.</summary>
    private static async Task PrintDemoSignInAsync(WebApplication app, AidaSettings settings, CancellationToken cancellationToken)
    {
        if (!Hardening.ListensOnlyOnLoopback(settings.Urls))
        {
            app.Logger.LogWarning("--demo on a non-loopback address creates no demo sign-in; add users with 'aida user add'");
            return;
        }

        var credentials = await DemoAdmin.EnsureAsync(app.Services, cancellationToken);
        if (credentials is null)
        {
            app.Logger.LogInformation("Demo admin {Email} exists; its sign-in was shown when it was created", DemoAdmin.Email);
            return;
        }

        var site = settings.Urls.Split(';')[0].TrimEnd('/');
        Console.WriteLine($"""

            Demo sign-in (shown only this once):
              web:   {site}/signin  email {credentials.Email}  password {credentials.Password}
              API:   curl -H "Authorization: Bearer {credentials.Token}" {site}/api/v1/customers

            """);
    }
}
