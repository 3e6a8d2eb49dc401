using System.Globalization;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Events.Nats;

/// <summary>
/// A real JetStream server for one test: Debian's <c>nats-server -js</c> on a free loopback port with a
/// store directory of its own. It can be stopped and started again on the same port and store (an
/// outage that NATS survives with its stream), and is killed and its store deleted at the end.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/nats-server";

    private readonly string _store = Directory.CreateTempSubdirectory("aida-nats-").FullName;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private NatsServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<NatsServer> StartAsync()
    {
        var server = new NatsServer(FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) and waits until it takes connections.</summary>
    public async Task RestartAsync()
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-js", "-a", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-sd", _store })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        // nats-server says so once it listens for clients, after JetStream has recovered its store.
        await Wait.UntilAsync(() => process.HasExited || Logged("Server is ready"), "nats-server to start", TimeSpan.FromSeconds(30));
        if (process.HasExited)
        {
            throw new InvalidOperationException($"nats-server exited at start:\n{Logged()}");
        }
    }

    /// <summary>Stops the server as an operator or a crash-free outage would (SIGTERM): it writes its store and exits.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(patience.Token);
        process.Dispose();
        _process = null;
        lock (_log)
        {
            _log.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_store, recursive: true);
    }

    private void Log(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private bool Logged(string text) => Logged().Contains(text, StringComparison.Ordinal);

    private string Logged()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
