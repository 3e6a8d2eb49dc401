using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Aida.Tests.Cli;

/// <summary>Runs the real <c>aida</c> executable (the built aida.dll) as a child process.</summary>
public sealed class AidaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private int _disposed;

    private AidaProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static AidaProcess Start(params string[] args) => StartWithInput(null, args);

    /// <summary>Starts aida with <paramref name="settings"/> as <c>AIDA__Section__Key</c> environment variables (keys as "Section:Key").</summary>
    public static AidaProcess StartWithSettings(IReadOnlyDictionary<string, string> settings, params string[] args) => StartWithInput(null, args, settings);

    /// <summary>Starts aida; <paramref name="input"/>, when given, is written to its standard input, which is then closed.</summary>
    public static AidaProcess StartWithInput(string? input, string[] args, IReadOnlyDictionary<string, string>? settings = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "aida.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The child must not inherit the test run's settings.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("AIDA__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment["AIDA__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = info };
        var aida = new AidaProcess(process);
        process.OutputDataReceived += (_, e) => { lock (aida._stdout) { aida._stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (aida._stderr) { aida._stderr.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        return aida;
    }

    /// <summary>Runs to completion and returns the exit code.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs to completion with <paramref name="input"/> on standard input and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunWithInputAsync(string? input, params string[] args)
    {
        await using var aida = StartWithInput(input, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await aida._process.WaitForExitAsync(timeout.Token);
        return (aida._process.ExitCode, aida.Output, aida.Errors);
    }

    public bool HasExited => _process.HasExited;

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the process (as a crash would: no shutdown) unless it has exited; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
