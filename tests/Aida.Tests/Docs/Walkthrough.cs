namespace Aida.Tests.Docs;

/// <summary>
/// The README's API walkthrough and <c>docs/walkthrough.sh</c>, the script it is taken from: the README block is the
/// script's part below its "walkthrough" line without the script's own lines (<c>expect</c>, <c>keep</c>, <c>await</c>).
/// </summary>
public static class Walkthrough
{
    public const string StartLine = "# ---- walkthrough ----";

    private static readonly string[] ScriptOnlyCommands = ["expect", "keep", "await"];

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aida.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Aida.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string ScriptPath => Path.Combine(RepositoryRoot(), "docs", "walkthrough.sh");

    public static string ReadmePath => Path.Combine(RepositoryRoot(), "README.md");

    /// <summary>What the README must show: the script below its start line, less its own lines and trailing blank lines.</summary>
    public static IReadOnlyList<string> ScriptAsReadme(string script)
    {
        var lines = Lines(script);
        var start = lines.IndexOf(StartLine);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/walkthrough.sh has no line \"{StartLine}\"");
        }

        var shown = lines.Skip(start + 1).Where(line => !IsScriptOnly(line)).ToList();
        while (shown.Count > 0 && shown[^1].Length == 0)
        {
            shown.RemoveAt(shown.Count - 1);
        }

        return shown;
    }

    /// <summary>The first <c>```sh</c> block after the README's "## API walkthrough" heading.</summary>
    public static IReadOnlyList<string> ReadmeBlock(string readme)
    {
        var lines = Lines(readme);
        var heading = lines.IndexOf("## API walkthrough");
        var open = heading < 0 ? -1 : lines.IndexOf("```sh", heading);
        var close = open < 0 ? -1 : lines.IndexOf("```", open + 1);
        if (close < 0)
        {
            throw new InvalidOperationException("README.md has no ```sh block under \"## API walkthrough\"");
        }

        return lines.GetRange(open + 1, close - open - 1);
    }

    /// <summary>The README's bullet on events, where every event type is named.</summary>
    public static string ReadmeEventTypes(string readme)
    {
        var start = readme.IndexOf("- **Events**", StringComparison.Ordinal);
        var end = start < 0 ? -1 : readme.IndexOf("\n\n", start, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException("README.md has no \"- **Events**\" bullet");
        }

        return readme[start..end];
    }

    private static bool IsScriptOnly(string line)
    {
        var firstWord = line.Split(' ', 2)[0];
        return ScriptOnlyCommands.Contains(firstWord, StringComparer.Ordinal);
    }

    private static List<string> Lines(string text) => text.ReplaceLineEndings("\n").Split('\n').ToList();
}
