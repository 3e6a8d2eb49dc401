using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Events.Webhooks;

using static WebhookDriver;

/// <summary>The settings screen: create (the secret shown once), bad input beside its field, test-send into the log, replay, rotate, delete.</summary>
public sealed class WebhookPagesTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SettingsScreen_CreatesShowsTheSecretOnce_SendsATest_AndShowsTheLog(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var receiver = await Receiver.StartAsync();
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);

        var form = await browser.OpenAsync("/settings/webhooks/new");
        var refused = await browser.SubmitAsync(form, "form[action='/settings/webhooks/new']", new() { ["url"] = "gopher://example.com/" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("http or https", refused.FieldError("url"), StringComparison.Ordinal);

        var created = await browser.SubmitAsync(form, "form[action='/settings/webhooks/new']",
            new() { ["url"] = receiver.Url.ToString(), ["eventTypes"] = "lead.*\nwebhook.test", ["description"] = "Page test" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var secret = created.Text("#webhook-secret");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var action = created.Document.QuerySelector("form[action$='/test']")!.GetAttribute("action")!;
        var page = action[..^"/test".Length];
        var shown = await browser.OpenAsync(page);
        Assert.DoesNotContain(secret, shown.Html, StringComparison.Ordinal);
        Assert.Contains(shown.Texts("a"), t => t == "All webhooks");

        var tested = await browser.SubmitAsync(shown, $"form[action='{action}']");
        Assert.Contains("test event was queued", tested.Flash, StringComparison.Ordinal);
        await DeliverUntilAsync(app, () => !receiver.Requests.IsEmpty, "the test event delivered");
        var log = await Wait.ForAsync(() => browser.OpenAsync(page), p => p.Html.Contains("Delivered", StringComparison.Ordinal));
        Assert.Contains("webhook.test", log.Texts("table.list td"));
        Assert.Contains("200", log.Texts("table.list td"));

        var replayed = await browser.SubmitAsync(log, $"form[action='{page}/replay']:has(input[name='deliveryId'])");
        Assert.Contains("One delivery was queued again", replayed.Flash, StringComparison.Ordinal);

        var rotated = await browser.SubmitAsync(replayed, $"form[action='{page}/rotate-secret']");
        Assert.StartsWith("whsec_", rotated.Text("#webhook-secret"), StringComparison.Ordinal);
        Assert.NotEqual(secret, rotated.Text("#webhook-secret"));

        var deleted = await browser.SubmitAsync(await browser.OpenAsync(page), $"form[action='{page}/delete']");
        Assert.Contains("was deleted", deleted.Flash, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.OpenAsync(page)).Status);
    }
}
