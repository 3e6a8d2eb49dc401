using System.Net;
using System.Text.Json;
using Aida.Features.Interactions.Communications;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Interactions.Email;

/// <summary>
/// Issue 19 item 4, against a real SMTP server (aiosmtpd, <see cref="SmtpSink"/>): delivery, the timeline, do_not_contact,
/// transient and permanent refusals, bounces, the per-domain rate, and no message sent twice that the server accepted.
/// </summary>
public sealed class EmailDeliveryTests(EmailDeliveryTests.Server fixture) : IClassFixture<EmailDeliveryTests.Server>
{
    /// <summary>The class's servers, sending through one SMTP server started for the class.</summary>
    public sealed class Server : AidaFixture, IAsyncLifetime
    {
        public Server()
            : this(SmtpSink.FreePort())
        {
        }

        private Server(int port)
            : base(EmailTesting.Settings(port))
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
    public async Task Send_ToAContact_IsDeliveredEscapedAndLoggedOnTheTimeline(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (customerId, contactId, email) = await app.CustomerWithContactAsync(name: "Smith & <b>Sons</b> " + Builders.Unique(""), firstName: "Zoë");

        var queued = await app.QueueAsync(new
        {
            contactId,
            subject = "Hello {{contact.firstName}}",
            bodyText = "Dear {{ contact.firstName }}, about {{customer.name}}.",
            bodyHtml = "<p>Dear {{contact.firstName}}, about <em>{{customer.name}}</em>.</p>",
        });
        Assert.Equal("queued", queued.Str("status"));
        Assert.Equal(email, queued.Str("to"));

        var sent = await app.DeliverUntilAsync(queued.Id(), "sent");

        var message = Assert.Single(fixture.Smtp.MessagesTo(email));
        Assert.Equal("Hello Zoë", message.Subject);
        Assert.Equal(EmailTesting.From, message.From.Mailboxes.Single().Address);
        Assert.Equal(sent.Str("messageId"), message.MessageId);
        Assert.Contains("about Smith & <b>Sons</b>", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<em>Smith &amp; &lt;b&gt;Sons&lt;/b&gt;", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Sons", message.HtmlBody, StringComparison.Ordinal);

        var entry = await app.TimelineEntryAsync(customerId, queued.GetProperty("interactionId").GetGuid());
        Assert.Equal("email", entry.Str("interactionType"));
        Assert.Equal("outbound", entry.Str("direction"));
        Assert.Equal("Hello Zoë", entry.Str("title"));
        Assert.Equal("sent", entry.GetProperty("delivery").Str("status"));
        Assert.Equal(contactId, sent.GetProperty("contactId").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_ToAContactMarkedDoNotContact_IsRefusedNamingTheField(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (customerId, contactId, email) = await app.CustomerWithContactAsync(doNotContact: true);

        var byContact = await (await app.Client.PostJsonAsync("/api/v1/emails", new { contactId, subject = "Hi", bodyText = "Hi" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "doNotContact");
        var byAddress = await (await app.Client.PostJsonAsync("/api/v1/emails", new { customerId, to = email.ToUpperInvariant(), subject = "Hi", bodyText = "Hi" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "doNotContact");

        Assert.Contains("not to be contacted", byContact.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("not to be contacted", byAddress.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Communication>().IgnoreQueryFilters().CountAsync(c => c.ContactId == contactId)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_ToAnAddressThatIsNotTheCustomersContact_Is400NamingTo(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (customerId, _, _) = await app.CustomerWithContactAsync();

        await (await app.Client.PostJsonAsync("/api/v1/emails", new { customerId, to = "stranger@elsewhere.example", subject = "Hi", bodyText = "Hi" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "to");
        await (await app.Client.PostJsonAsync("/api/v1/emails", new { customerId, to = "stranger@elsewhere.example", subject = "Hi {{contact.nickname}}", bodyText = "Hi" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "subject");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_ServerDefersThenContactOptsOut_RetriedThenFailedAtSendWithTheReason(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (customerId, contactId, email) = await app.CustomerWithContactAsync(localPart: "defer");
        var queued = await app.QueueAsync(new { contactId, subject = "Hi", bodyText = "Hi" });

        // 451 to RCPT TO: transient, so the message waits for its next attempt with the server's reason.
        var deferred = await app.DeliverUntilAsync(queued.Id(), e => e.GetProperty("attempts").GetInt32() >= 2);
        Assert.Equal("queued", deferred.Str("status"));
        Assert.Contains("451", deferred.Str("statusReason"), StringComparison.Ordinal);

        var url = $"/api/v1/customers/{customerId}/contacts/{contactId}";
        var contact = await app.Client.GetAsync(url);
        await (await app.Client.PatchJsonAsync(url, new { doNotContact = true }, contact.ETag())).ExpectAsync(HttpStatusCode.OK);

        var failed = await app.DeliverUntilAsync(queued.Id(), "failed");
        Assert.Contains("doNotContact", failed.Str("statusReason"), StringComparison.Ordinal);
        Assert.Empty(fixture.Smtp.MessagesTo(email));
        var entry = await app.TimelineEntryAsync(customerId, queued.GetProperty("interactionId").GetGuid());
        Assert.Equal("failed", entry.GetProperty("delivery").Str("status"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_RecipientRefusedWith550_BouncedWithTheReasonAndTheContactMarked(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (customerId, contactId, email) = await app.CustomerWithContactAsync(localPart: "refuse");
        var queued = await app.QueueAsync(new { contactId, subject = "Hi", bodyText = "Hi" });

        var bounced = await app.DeliverUntilAsync(queued.Id(), e => e.Str("status") is "bounced" or "failed" or "sent");

        Assert.Equal("bounced", bounced.Str("status"));
        Assert.Contains("550", bounced.Str("statusReason"), StringComparison.Ordinal);
        Assert.Contains("User unknown", bounced.Str("statusReason"), StringComparison.Ordinal);
        Assert.Equal(1, bounced.GetProperty("attempts").GetInt32());
        var contact = await (await app.Client.GetAsync($"/api/v1/customers/{customerId}/contacts/{contactId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, contact.GetProperty("emailBouncedAt").ValueKind);
        var entry = await app.TimelineEntryAsync(customerId, queued.GetProperty("interactionId").GetGuid());
        Assert.Equal("bounced", entry.Str("outcome"));
        Assert.Equal("bounced", entry.GetProperty("delivery").Str("status"));
        Assert.Contains("550", entry.GetProperty("delivery").Str("reason"), StringComparison.Ordinal);
        Assert.Empty(fixture.Smtp.MessagesTo(email));

        // The address is known bad now: a new message to it is refused until someone corrects it.
        await (await app.Client.PostJsonAsync("/api/v1/emails", new { contactId, subject = "Again", bodyText = "Hi" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "emailBouncedAt");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_MoreThanTheRateToOneDomain_SendsTheRateAndHoldsTheRestAMinute(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var domain = Builders.Unique("rate") + ".example";
        var (customerId, firstContact, _) = await app.CustomerWithContactAsync(domain: domain);
        var contacts = new List<Guid> { firstContact };
        for (var i = 0; i < 3; i++)
        {
            contacts.Add(await app.ContactAsync(customerId, $"{Builders.Unique("p")}@{domain}"));
        }

        var ids = new List<Guid>();
        foreach (var contactId in contacts)
        {
            ids.Add((await app.QueueAsync(new { contactId, subject = "Hi", bodyText = "Hi" })).Id());
        }

        var job = app.Services.GetRequiredService<Aida.Features.Interactions.Email.EmailSendJob>();
        var emails = await Wait.ForAsync(
            async () =>
            {
                await job.RunAsync(CancellationToken.None);
                return await Task.WhenAll(ids.Select(app.EmailAsync));
            },
            all => all.Count(e => e.Str("status") == "sent") == 3 && all.All(e => e.Str("status") is "sent" or "queued"));
        await job.RunAsync(CancellationToken.None);
        emails = await Task.WhenAll(ids.Select(app.EmailAsync));

        Assert.Equal(3, emails.Count(e => e.Str("status") == "sent"));
        var held = Assert.Single(emails, e => e.Str("status") == "queued");
        Assert.True(held.GetProperty("nextAttemptAt").GetDateTime().ToUniversalTime() > DateTime.UtcNow.AddSeconds(30), $"Held until {held}");
        Assert.Equal(0, held.GetProperty("attempts").GetInt32());
        Assert.Equal(3, fixture.Smtp.Messages().Count(m => m.To.Mailboxes.Any(b => b.Address.EndsWith("@" + domain, StringComparison.Ordinal))));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_ConnectionCutAfterTheServerTookTheMessage_IsUncertainAndNotSentAgainUntilResent(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, contactId, email) = await app.CustomerWithContactAsync(localPart: "drop");
        var queued = await app.QueueAsync(new { contactId, subject = "Hi", bodyText = "Hi" });

        var uncertain = await app.DeliverUntilAsync(queued.Id(), e => e.Str("status") != "queued");
        await app.DeliverUntilAsync(queued.Id(), e => true); // another run of the job: nothing to do

        Assert.Equal("uncertain", uncertain.Str("status"));
        Assert.Contains("may or may not", uncertain.Str("statusReason"), StringComparison.Ordinal);
        Assert.Single(fixture.Smtp.MessagesTo(email));

        var resent = await (await app.Client.PostAsync($"/api/v1/emails/{queued.Id()}/resend", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("queued", resent.Str("status"));
        await app.DeliverUntilAsync(queued.Id(), e => e.Str("status") != "queued");
        var copies = fixture.Smtp.MessagesTo(email);
        Assert.Equal(2, copies.Count);
        Assert.All(copies, m => Assert.Equal(uncertain.Str("messageId"), m.MessageId));
    }
}
