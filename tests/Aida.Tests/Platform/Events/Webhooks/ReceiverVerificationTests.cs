using System.Diagnostics;
using System.Net;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Events.Webhooks;

/// <summary>
/// The README's verification example (the Python block after <c>&lt;!-- webhook-verify --&gt;</c>), run as
/// written against real deliveries: it must accept what Aida signs and refuse a changed body, id or secret.
/// If the README and the real signature ever disagree, this fails.
/// </summary>
public sealed class ReceiverVerificationTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ReadmeExample_AcceptsRealDeliveries_AndRefusesTamperedOnes(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var receiver = await Receiver.StartAsync();
        var hook = await WebhookDriver.SubscribeAsync(app, receiver.Url, ["lead.*"]);
        await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName = "Zoë", lastName = "Ünal", email = $"{Builders.Unique("lead")}@example.com" }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostAsync($"/api/v1/webhooks/{hook.Id()}/test", null)).ExpectAsync(HttpStatusCode.OK);
        await WebhookDriver.DeliverUntilAsync(app, () => receiver.Requests.Count >= 2, "a lead and a test event delivered");
        var script = Path.Combine(Path.GetTempPath(), $"aida-verify-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, ReadmeExample());
        try
        {
            var secret = hook.Str("secret");
            foreach (var delivery in receiver.All)
            {
                Assert.Equal(0, await RunAsync(script, secret, delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body));
            }

            var real = receiver.All[0];
            Assert.Contains("\"type\":\"", real.Body, StringComparison.Ordinal); // so the tampering below changes the body
            Assert.Equal(1, await RunAsync(script, secret, real.Id, real.Timestamp, real.Signature, real.Body.Replace("\"type\":\"", "\"type\":\"x", StringComparison.Ordinal)));
            Assert.Equal(1, await RunAsync(script, secret, Guid.NewGuid().ToString(), real.Timestamp, real.Signature, real.Body));
            var otherSecret = (await WebhookDriver.SubscribeAsync(app, receiver.Url, ["lead.*"])).Str("secret");
            Assert.Equal(1, await RunAsync(script, otherSecret, real.Id, real.Timestamp, real.Signature, real.Body));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string ReadmeExample()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var marker = readme.IndexOf("<!-- webhook-verify -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, "The README has no webhook-verify example.");
        var start = readme.IndexOf("```python\n", marker, StringComparison.Ordinal) + "```python\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    private static async Task<int> RunAsync(string script, string secret, string id, string timestamp, string signature, string body)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, secret, id, timestamp, signature })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        await process.StandardInput.BaseStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body));
        process.StandardInput.Close();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(errors.Length == 0, errors);
        return process.ExitCode;
    }

    private static string RepositoryRoot()
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
}
