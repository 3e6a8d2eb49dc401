using System.CommandLine;
using Aida.Platform.Data;

namespace Aida.Platform.Hosting.Verbs;

/// <summary>
/// The server's services without serving: verbs that change data (seed, user, token) go through the same
/// composition, migrations check and rules as the API, so the CLI cannot write what the API would refuse.
/// </summary>
public static class CliServer
{
    /// <summary>The built server with its database ready, or null after printing why it is not (exit code 2).</summary>
    public static async Task<WebApplication?> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        // Standard output is the verb's answer (a token, a summary) for scripts to read; logs go to standard error.
        var configuration = Cli.Configuration(parse,
            ("Logging:Console:LogToStandardErrorThreshold", "Trace"),
            ("Logging:LogLevel:Default", "Warning"));
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

    public static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"aida: {message}");
        return 1;
    }
}
