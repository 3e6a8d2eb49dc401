using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Aida.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for a test: Debian's aiosmtpd (<c>/usr/bin/python3 -m aiosmtpd</c>, package
/// python3-aiosmtpd) with the handler in smtp_sink.py, on a loopback port, storing what it accepts in a
/// directory the test reads back as MIME messages. Recipients named refuse…, defer… and drop… make it
/// answer 550, answer 451, or cut the connection after storing the message.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    /// <summary>A loopback port nothing listens on now (the OS's pick; free until someone takes it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<SmtpSink> StartAsync(int? port = null)
    {
        var chosen = port ?? FreePort();
        var directory = System.IO.Directory.CreateTempSubdirectory("aida-smtp-").FullName;
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{chosen}", "-c", "smtp_sink.Sink", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "Infrastructure");
        var process = Process.Start(start) ?? throw new InvalidOperationException("aiosmtpd did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sink = new SmtpSink(process, chosen, directory);
        try
        {
            await Wait.UntilAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"aiosmtpd exited with {process.ExitCode} (is python3-aiosmtpd installed?).");
                }

                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, chosen);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, $"aiosmtpd listening on port {chosen}", TimeSpan.FromSeconds(30));
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }

        return sink;
    }

    /// <summary>Every message the server accepted, in the order it accepted them.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.eml").Order(StringComparer.Ordinal).Select(file => MimeMessage.Load(file)).ToList();

    /// <summary>The messages the server accepted for <paramref name="address"/>.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string address) =>
        Messages().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaner.
        }
    }
}
