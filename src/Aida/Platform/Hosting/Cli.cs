using System.CommandLine;
using Aida.Platform.Hosting.Verbs;

namespace Aida.Platform.Hosting;

/// <summary>The root of the <c>aida</c> command line: options shared by every verb, and <c>serve</c> as the default.</summary>
public static class Cli
{
    public static readonly Option<string?> DataDirectory = new("--data-dir")
    {
        Description = "Directory for the embedded SQLite database and other local files (default ./data).",
        Recursive = true,
    };

    public static readonly Option<string?> Database = new("--database")
    {
        Description = "PostgreSQL connection string (Host=…;Database=…;Username=…;Password=… or postgres://user:pass@host/db). Without it Aida uses SQLite in the data directory.",
        Recursive = true,
    };

    public static RootCommand Root(params Command[] verbs)
    {
        var root = new RootCommand("Aida — a self-hosted CRM server. Without a verb, runs 'serve'.");
        root.Options.Add(DataDirectory);
        root.Options.Add(Database);
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb);
        }

        ServeVerb.AddTo(root);
        return root;
    }

    /// <summary>Configuration with the shared flags (and any verb-specific ones) layered on top.</summary>
    public static IConfigurationRoot Configuration(ParseResult parse, params (string Key, string? Value)[] flags)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["DataDir"] = parse.GetValue(DataDirectory),
            ["Database:ConnectionString"] = parse.GetValue(Database),
        };
        foreach (var (key, value) in flags)
        {
            values[key] = value;
        }

        return AidaSettings.LoadConfiguration(values);
    }
}
