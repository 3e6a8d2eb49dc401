namespace Aida.Platform.Hosting;

/// <summary>
/// Hands the new demo admin's password and token to the person who started <c>aida --demo</c>, and to no
/// log. On a terminal they are printed once. When standard output is redirected (<c>aida --demo &gt; aida.log</c>)
/// it is a log file in all but name, so they go to <see cref="FileName"/> in the data directory instead,
/// readable only by the owner, and the log says where that file is.
/// </summary>
public static class DemoSignIn
{
    public const string FileName = "demo-sign-in.txt";

    public static async Task HandOverAsync(DemoAdmin.Credentials credentials, AidaSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        var site = settings.Urls.Split(';')[0].TrimEnd('/');
        var lines = $"""
              web:   {site}/signin  email {credentials.Email}  password {credentials.Password}
              API:   curl -H "Authorization: Bearer {credentials.Token}" {site}/api/v1/customers
            """;
        if (!Console.IsOutputRedirected)
        {
            await Console.Out.WriteLineAsync($"\nDemo sign-in (shown only this once):\n{lines}\n");
            return;
        }

        var file = Path.Combine(Path.GetFullPath(settings.DataDirectory), FileName);
        await WriteOwnerOnlyAsync(file, $"Demo sign-in for Aida on {site}:\n{lines}\n", cancellationToken);
        logger.LogInformation("Demo sign-in written to {File}, readable only by you (standard output is not a terminal, so it stays out of the log)", file);
    }

    private static async Task WriteOwnerOnlyAsync(string file, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        // Created with mode 600, never widened after the fact: there is no moment at which others could read it.
        // A file left from an earlier demo database is replaced, as its sign-in no longer works.
        File.Delete(file);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(file, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }
}
