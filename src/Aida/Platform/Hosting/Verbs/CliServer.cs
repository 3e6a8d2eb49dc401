using System.CommandLine;

namespace Aida.Platform.Hosting.Verbs;

/// <summary>
/// The server's services, built and with the database ready, for every verb: <c>serve</c> runs them;
/// the verbs that change data (seed, user, token) go through the same composition, migrations check and
/// rules as the API, so the CLI cannot write what the API would refuse.
/// </summary>
public static class CliServer
{
    /// <summary>The built server with its database ready, or null after printing why it is not (exit code 2).</summary>
    public static async Task<WebApplication?> OpenAsync(IConfigurationRoot configuration, CancellationToken cancellationToken)
    {
        var settings = AidaSettings.From(configuration);
        var app = Program.BuildServer(settings, configuration);
        try
        {
            await Startup.PrepareDatabaseAsync(app.Services, settings, cancellationToken);
            return app;
        }
        catch (MigrationException e)
        {
            await app.DisposeAsync();
            await Console.Error.WriteLineAsync($"aida: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Configuration for a data verb: standard output is the verb's answer (a token, a summary) for
    /// scripts to read, so logs go to standard error, warnings and worse only.
    /// </summary>
    public static IConfigurationRoot DataVerbConfiguration(ParseResult parse) =>
        Cli.Configuration(parse,
            ("Logging:Console:LogToStandardErrorThreshold", "Trace"),
            ("Logging:LogLevel:Default", "Warning"));

    /// <summary>Runs <paramref name="work"/> in one unit of work, acting as the built-in system actor (every CLI change is audited so).</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, AidaDb, Task<int>> work, CancellationToken cancellationToken)
    {
        await using var app = await OpenAsync(DataVerbConfiguration(parse), cancellationToken);
        if (app is null)
        {
            return 2;
        }

        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<AidaDb>());
    }

    public static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"aida: {message}");
        return 1;
    }
}
