using System.CommandLine;
using Aida.Platform.Hosting.Verbs;

namespace Aida.Platform.Hosting;

/// <summary>The root of the <c>aida</c> command line: <c>serve</c> as the default, <c>help</c>, and the options verbs share.</summary>
public static class Cli
{
    // Not recursive: each verb that opens the database adds them (AddDatabaseOptions), so the help of
    // 'version', 'help' and the 'user' and 'token' groups lists only options that apply there.
    public static readonly Option<string?> DataDirectory = new("--data-dir")
    {
        Description = $"Directory for the embedded SQLite database ({DatabaseSettings.SqliteFileName}) and other local files (default {AidaSettings.DefaultDataDirectory}, under the current directory).",
    };

    public static readonly Option<string?> Database = new("--database")
    {
        Description = "PostgreSQL connection string (Host=…;Database=…;Username=…;Password=… or postgres://user:pass@host/db). Without it Aida uses SQLite in the data directory.",
    };

    public static RootCommand Root(params Command[] verbs)
    {
        var root = new RootCommand("Aida — a self-hosted CRM server. Without a verb, runs 'serve'.");
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb);
        }

        root.Subcommands.Add(HelpVerb(root));
        ServeVerb.AddTo(root);
        return root;
    }

    /// <summary>Adds <c>--data-dir</c> and <c>--database</c> to a verb that opens the database.</summary>
    public static T AddDatabaseOptions<T>(T command)
        where T : Command
    {
        command.Options.Add(DataDirectory);
        command.Options.Add(Database);
        return command;
    }

    /// <summary>
    /// Names every required option that is missing in one message ("token create needs --email and --name"),
    /// where the parser alone would report them one at a time, or a later check's complaint first.
    /// Returns whether all were given, so the verb's other checks can stay quiet until they are.
    /// </summary>
    public static bool RequireAll(System.CommandLine.Parsing.CommandResult result, params Option[] required)
    {
        var missing = required.Where(o => result.GetResult(o) is null).Select(o => o.Name).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        var names = missing.Count == 1 ? $"the required option {missing[0]}" : $"the required options {string.Join(", ", missing[..^1])} and {missing[^1]}";
        result.AddError($"'{CommandPath(result.Command)}' is missing {names}.");
        return false;
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

    /// <summary><c>aida help [verb …]</c>: what <c>--help</c> prints, for people who type the word.</summary>
    private static Command HelpVerb(RootCommand root)
    {
        var verb = new Argument<string[]>("VERB") { Description = "The verb to explain, e.g. 'token create'.", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Show the help of aida, or of a verb.") { verb };
        help.SetAction((parse, cancellationToken) =>
            root.Parse([.. parse.GetValue(verb) ?? [], "--help"]).InvokeAsync(cancellationToken: cancellationToken));
        return help;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return string.Join(' ', names);
    }
}
