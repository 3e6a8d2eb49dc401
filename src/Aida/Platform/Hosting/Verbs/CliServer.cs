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

    /// <summary>
    /// Runs <paramref name="work"/> in one unit of work, acting as the built-in system actor (every CLI change is audited so),
    /// on an existing database only: creating an empty one here would leave a newcomer with two databases, the
    /// server's and a stray one, and a verb that answers "no such user" from the wrong one.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, AidaDb, Task<int>> work, CancellationToken cancellationToken)
    {
        var configuration = DataVerbConfiguration(parse);
        var database = AidaSettings.From(configuration).Database;
        if (database.SqliteFile is { } file && !File.Exists(file))
        {
            await Console.Error.WriteLineAsync(NoDatabaseMessage(file));
            return 2;
        }

        await using var app = await OpenAsync(configuration, cancellationToken);
        if (app is null)
        {
            return 2;
        }

        // Standard output is the verb's answer; which database it worked on goes beside it, for the person.
        await Console.Error.WriteLineAsync($"aida: using the {database.Describe()}");

        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<AidaDb>());
    }

    public static string NoDatabaseMessage(string file) =>
        $"""
        aida: there is no Aida database at {file}; this verb works on an existing database and does not create one.
          A relative data directory (the default is ./data) is taken from the current directory, {Directory.GetCurrentDirectory()}.
          Run aida from the directory the server was started in, or point at its database with --data-dir DIR (the directory
          holding {DatabaseSettings.SqliteFileName}) or, on PostgreSQL, --database CONNECTION-STRING. To start a new database there,
          run 'aida migrate' or 'aida serve' first.
        """;

    public static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"aida: {message}");
        return 1;
    }
}
