using System.Net;
using System.Text.Json;
using Aida.Features.Interactions.Email;
using Aida.Features.Interactions.Notifications;
using Aida.Platform.Auth;
using Aida.Tests.Features.Interactions.Email;
using Aida.Tests.Features.Leads;
using Aida.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Interactions;

/// <summary>
/// Issue 19 item 5, against a real SMTP server (<see cref="SmtpSink"/>): per-user preferences per kind and channel,
/// the email channel to the user's own address, in-app off, and the daily digest sent once a day.
/// </summary>
public sealed class NotificationChannelsTests(NotificationChannelsTests.Server fixture) : IClassFixture<NotificationChannelsTests.Server>
{
    private const string Preferences = "/api/v1/me/notification-preferences";

    /// <summary>The class's servers, sending through one SMTP server; the digest hour is midnight, so a digest is due whenever a test runs.</summary>
    public sealed class Server : AidaFixture, IAsyncLifetime
    {
        public Server()
            : this(SmtpSink.FreePort())
        {
        }

        private Server(int port)
            : base(new Dictionary<string, string?>(EmailTesting.Settings(port)) { ["Notifications:DigestHour"] = "0", ["Notifications:BaseUrl"] = "https://crm.example/" })
        {
            Port = port;
        }

        public int Port { get; }

        public SmtpSink Smtp { get; private set; } = null!;

        async Task IAsyncLifetime.InitializeAsync() => Smtp = await SmtpSink.StartAsync(Port);

        async Task IAsyncLifetime.DisposeAsync()
        {
            await DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Preferences_ListEveryKindWithDefaults_SaveWhatIsSent_AndNameTheFieldOfAnUnknownKindOrChannel(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, client) = await app.UserAsync(Role.Rep);

        var defaults = await (await client.GetAsync(Preferences)).ExpectAsync(HttpStatusCode.OK);
        Assert.False(defaults.GetProperty("dailyDigest").GetBoolean());
        var kinds = defaults.GetProperty("kinds").EnumerateArray().ToList();
        Assert.Equal(Enum.GetValues<NotificationKind>().Length, kinds.Count);
        Assert.All(kinds, k => Assert.Equal(["in_app"], Channels(k)));

        await (await client.SendJsonAsync(HttpMethod.Put, Preferences, new { kinds = new object[] { new { kind = "lead_teleported", channels = new[] { "email" } } } }, null))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "kinds[0].kind");
        await (await client.SendJsonAsync(HttpMethod.Put, Preferences, new { kinds = new object[] { new { kind = "deal_stale", channels = new[] { "email", "sms" } } } }, null))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "kinds[0].channels[1]");
        await (await client.SendJsonAsync(HttpMethod.Put, Preferences, new { kinds = new object[] { new { kind = "deal_stale" } } }, null))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "kinds[0].channels");
        // Nothing of a refused request is kept.
        var unchanged = await (await client.GetAsync(Preferences)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["in_app"], Channels(Kind(unchanged, "deal_stale")));

        var saved = await (await client.SendJsonAsync(HttpMethod.Put, Preferences, new
        {
            kinds = new object[] { new { kind = "deal_stale", channels = new[] { "email", "in_app" } }, new { kind = "health_alert", channels = Array.Empty<string>() } },
            dailyDigest = true,
        }, null)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(saved.GetProperty("dailyDigest").GetBoolean());

        var read = await (await client.GetAsync(Preferences)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(read.GetProperty("dailyDigest").GetBoolean());
        Assert.Equal(["in_app", "email"], Channels(Kind(read, "deal_stale")));
        Assert.Empty(Channels(Kind(read, "health_alert")));
        Assert.Equal(["in_app"], Channels(Kind(read, "lead_assigned")));

        // Kinds left out keep their setting.
        await (await client.SendJsonAsync(HttpMethod.Put, Preferences, new { kinds = new object[] { new { kind = "health_alert", channels = new[] { "in_app" } } } }, null))
            .ExpectAsync(HttpStatusCode.OK);
        var later = await (await client.GetAsync(Preferences)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["in_app", "email"], Channels(Kind(later, "deal_stale")));
        Assert.Equal(["in_app"], Channels(Kind(later, "health_alert")));
        Assert.True(later.GetProperty("dailyDigest").GetBoolean());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AKindSetToEmail_SendsOneEmailToTheUser_AndAKindLeftInAppOnlySendsNone(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (emailed, emailedClient) = await app.UserAsync(Role.Rep);
        var (inAppOnly, inAppOnlyClient) = await app.UserAsync(Role.Rep);
        await SetAsync(emailedClient, "lead_assigned", "in_app", "email");

        var quiet = await app.Client.CreateLeadAsync(new { firstName = "Quiet", lastName = Builders.Unique("Lead"), email = $"{Builders.Unique("q")}@example.com", assignedTo = inAppOnly.Id });
        var lead = await app.Client.CreateLeadAsync(new { firstName = "Mailed", lastName = Builders.Unique("Lead"), email = $"{Builders.Unique("m")}@example.com", assignedTo = emailed.Id });

        var message = await DeliveredToAsync(app, emailed.Email);
        Assert.Contains("Lead assigned to you: Mailed", message.Subject, StringComparison.Ordinal);
        Assert.Contains($"https://crm.example/leads/{lead.Id()}", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(EmailTesting.From, message.From.Mailboxes.Single().Address);

        // Both were queued before the run that sent the first: the in-app-only user got nothing, and each still sees theirs in the app.
        Assert.Empty(fixture.Smtp.MessagesTo(inAppOnly.Email));
        Assert.Single(await NoticesAsync(emailedClient, "lead_assigned"));
        Assert.Equal($"/leads/{quiet.Id()}", Assert.Single(await NoticesAsync(inAppOnlyClient, "lead_assigned")).Str("link"));

        // A message to a user about their own work is no customer's email: not in the email list, on no timeline.
        var emails = await (await app.Client.GetAsync("/api/v1/emails?limit=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(emails.Items(), e => string.Equals(e.Str("to"), emailed.Email, StringComparison.OrdinalIgnoreCase));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task InAppOff_HidesTheNotificationFromTheUser_WhileItsEmailStillGoes(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, client) = await app.UserAsync(Role.Rep);
        await SetAsync(client, "lead_assigned", "email");

        await app.Client.CreateLeadAsync(new { firstName = "Hidden", lastName = Builders.Unique("Lead"), email = $"{Builders.Unique("h")}@example.com", assignedTo = rep.Id });

        Assert.Contains("Hidden", (await DeliveredToAsync(app, rep.Email)).Subject, StringComparison.Ordinal);
        var list = await (await client.GetAsync("/api/v1/notifications")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.Items());
        Assert.Equal(0, list.GetProperty("unreadCount").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheDigest_ListsTheUnreadNotificationsInOneEmail_AndRunningItAgainTheSameDaySendsNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, client) = await app.UserAsync(Role.Rep);
        var (other, _) = await app.UserAsync(Role.Rep);
        await (await client.SendJsonAsync(HttpMethod.Put, Preferences, new { dailyDigest = true }, null)).ExpectAsync(HttpStatusCode.OK);
        var first = Builders.Unique("First");
        var second = Builders.Unique("Second");
        var read = Builders.Unique("Read");
        foreach (var (name, owner) in new[] { (first, rep), (second, rep), (read, rep), (Builders.Unique("Others"), other) })
        {
            await app.Client.CreateLeadAsync(new { firstName = "Di", lastName = name, email = $"{Builders.Unique("d")}@example.com", assignedTo = owner.Id });
        }

        var readOne = (await NoticesAsync(client, "lead_assigned")).Single(n => n.Str("title").Contains(read, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostJsonAsync($"/api/v1/notifications/{readOne.Id()}/read", new { })).StatusCode);

        var digest = app.Services.GetRequiredService<NotificationDigestJob>();
        var outcome = await digest.RunAsync(CancellationToken.None);
        Assert.True(outcome.Items >= 1);

        var message = await DeliveredToAsync(app, rep.Email);
        Assert.Contains("2 unread notifications", message.Subject, StringComparison.Ordinal);
        Assert.Contains(first, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(second, message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(read, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://crm.example/leads/", message.TextBody, StringComparison.Ordinal);
        // The other rep has the digest off.
        Assert.Empty(fixture.Smtp.MessagesTo(other.Email));

        // Again the same day, and as a new node would after a restart: nothing more, even with a new unread notification.
        await app.Client.CreateLeadAsync(new { firstName = "Di", lastName = Builders.Unique("Later"), email = $"{Builders.Unique("d")}@example.com", assignedTo = rep.Id });
        await digest.RunAsync(CancellationToken.None);
        await new NotificationDigestJob(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Services.GetRequiredService<Aida.Platform.Jobs.JobTriggers>(),
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>()).RunAsync(CancellationToken.None);
        await app.Services.GetRequiredService<EmailSendJob>().RunAsync(CancellationToken.None);
        Assert.Single(fixture.Smtp.MessagesTo(rep.Email));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheProfilePage_ShowsEveryKindsChannels_AndSavesThem(DatabaseKind db)
    {
        const string password = "a long enough password";
        var app = await fixture.AppFor(db);
        var (rep, api) = await app.UserAsync(Role.Rep, password: password);
        await SetAsync(api, "health_alert", "email");
        using var browser = await PageBrowser.SignedInAsync(app, rep, password);

        var profile = await browser.OpenAsync("/account/profile");
        var form = profile.Document.QuerySelector("form[action='/account/notifications']")!;
        Assert.Equal(Enum.GetValues<NotificationKind>().Length, form.QuerySelectorAll("tbody tr").Length);
        Assert.Null(form.QuerySelector("input[name='health_alert.in_app'][checked]"));
        Assert.NotNull(form.QuerySelector("input[name='health_alert.email'][checked]"));
        Assert.NotNull(form.QuerySelector("input[name='deal_stale.in_app'][checked]"));

        var saved = await browser.SubmitAsync(profile, "form[action='/account/notifications']",
            new() { ["deal_stale.email"] = "true", ["lead_assigned.in_app"] = null, ["dailyDigest"] = "true" });
        Assert.Equal(HttpStatusCode.OK, saved.Status);

        var read = await (await api.GetAsync(Preferences)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["in_app", "email"], Channels(Kind(read, "deal_stale")));
        Assert.Empty(Channels(Kind(read, "lead_assigned")));
        Assert.Equal(["email"], Channels(Kind(read, "health_alert")));
        Assert.Equal(["in_app"], Channels(Kind(read, "activity_reminder")));
        Assert.True(read.GetProperty("dailyDigest").GetBoolean());
    }

    private static async Task SetAsync(HttpClient client, string kind, params string[] channels) =>
        await (await client.SendJsonAsync(HttpMethod.Put, Preferences, new { kinds = new object[] { new { kind, channels } } }, null)).ExpectAsync(HttpStatusCode.OK);

    /// <summary>Runs the send job (as the scheduler would) until the SMTP server has a message for <paramref name="address"/>.</summary>
    private async Task<MimeKit.MimeMessage> DeliveredToAsync(AidaApp app, string address)
    {
        var job = app.Services.GetRequiredService<EmailSendJob>();
        var messages = await Wait.ForAsync(
            async () =>
            {
                await job.RunAsync(CancellationToken.None);
                return fixture.Smtp.MessagesTo(address);
            },
            m => m.Count > 0);
        return Assert.Single(messages);
    }

    private static async Task<List<JsonElement>> NoticesAsync(HttpClient client, string kind) =>
        (await (await client.GetAsync("/api/v1/notifications")).ExpectAsync(HttpStatusCode.OK)).Items().Where(n => n.Str("kind") == kind).ToList();

    private static JsonElement Kind(JsonElement preferences, string kind) =>
        preferences.GetProperty("kinds").EnumerateArray().Single(k => k.Str("kind") == kind);

    private static string[] Channels(JsonElement kind) =>
        kind.GetProperty("channels").EnumerateArray().Select(c => c.GetString()!).ToArray();
}
