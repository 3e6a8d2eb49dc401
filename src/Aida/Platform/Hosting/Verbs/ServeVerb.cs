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
        Cli.AddDatabaseOptions(command);
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
            if (await app.Services.GetRequiredService<IDemoSeeder>().EnsureAsync(cancellationToken) == 0)
            {
                app.Logger.LogInformation("Demo data: the database has customers already, so none were added");
            }

            await HandOverDemoSignInAsync(app, settings, cancellationToken);
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var site = app.Urls.First().TrimEnd('/');
            app.Logger.LogInformation("Aida is ready on {Urls}: sign in at {SignIn}, API reference at {Docs}",
                string.Join(", ", app.Urls), $"{site}/signin", $"{site}/api/docs");
        });

        await app.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task HandOverDemoSignInAsync(WebApplication app, AidaSettings settings, CancellationToken cancellationToken)
    {
        if (!Hardening.ListensOnlyOnLoopback(settings.Urls))
        {
            app.Logger.LogWarning("--demo on a non-loopback address creates no demo sign-in; add users with 'aida user add'");
            return;
        }

        var credentials = await DemoAdmin.EnsureAsync(app.Services, cancellationToken);
        if (credentials is null)
        {
            app.Logger.LogInformation("Demo admin {Email} exists; its sign-in was handed over when it was created (lost it? the verb 'token create --email {Email} --name again' makes a new token)", DemoAdmin.Email, DemoAdmin.Email);
            return;
        }

        await DemoSignIn.HandOverAsync(credentials, settings, app.Logger, cancellationToken);
    }
}
