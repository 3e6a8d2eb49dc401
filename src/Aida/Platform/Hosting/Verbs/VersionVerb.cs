using System.CommandLine;
using System.Reflection;

namespace Aida.Platform.Hosting.Verbs;

public static class VersionVerb
{
    public static string Current =>
        typeof(VersionVerb).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static Command Create()
    {
        var version = new Command("version", "Print the version of Aida.");
        version.SetAction(_ => Console.WriteLine($"aida {Current}"));
        return version;
    }
}
