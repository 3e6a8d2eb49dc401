using System.Net;
using Aida.Features.Interactions.Communications;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Interactions.Email;

/// <summary>Issue 19 item 4's faults that need a server of their own: SMTP down then up, a restart mid-send, delivery off.</summary>
public sealed class EmailRecoveryTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_SmtpServerDownThenUp_IsRetriedAndSentOnce(DatabaseKind db)
    {
        var port = SmtpSink.FreePort();
        await using var app = await AidaApp.StartAsync(db, EmailTesting.Settings(port));
        var (_, contactId, email) = await app.CustomerWithContactAsync();
        var queued = await app.QueueAsync(new { contactId, subject = "Hi", bodyText = "Hi" });

        var waiting = await app.DeliverUntilAsync(queued.Id(), e => e.GetProperty("attempts").GetInt32() >= 1);
        Assert.Equal("queued", waiting.Str("status"));
        Assert.Contains("Could not reach the SMTP server", waiting.Str("statusReason"), StringComparison.Ordinal);

        await using var smtp = await SmtpSink.StartAsync(port);
        var sent = await app.DeliverUntilAsync(queued.Id(), "sent");
        await app.DeliverUntilAsync(queued.Id(), e => true);

        Assert.True(sent.GetProperty("attempts").GetInt32() >= 2);
        Assert.Single(smtp.MessagesTo(email));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Restart_AfterSendsAndOneCutShortMidHandover_SendsNothingTwice(DatabaseKind db)
    {
        await using var smtp = await SmtpSink.StartAsync();
        var settings = EmailTesting.Settings(smtp.Port);
        var database = await TestDatabase.CreateAsync(db);
        var first = await AidaApp.StartAsync(database, settings);
        await using var disposeFirst = first;
        var (_, sentTo, sentEmail) = await first.CustomerWithContactAsync();
        var (_, cutTo, cutEmail) = await first.CustomerWithContactAsync();
        var sent = await first.QueueAsync(new { contactId = sentTo, subject = "Sent before the restart", bodyText = "Hi" });
        await first.DeliverUntilAsync(sent.Id(), "sent");

        // As a node leaves a message when it stops between committing 'sending' and recording the server's answer.
        var cut = await first.QueueAsync(new { contactId = cutTo, subject = "Cut short", bodyText = "Hi" });
        await first.QueryAsync(d => d.Set<Communication>().Where(c => c.Id == cut.Id()).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.DeliveryStatus, EmailStatus.Sending)
            .SetProperty(c => c.DeliveryAttempts, 1)
            .SetProperty(c => c.SendingStartedAt, DateTime.UtcNow.AddHours(-1))));
        await first.StopServerAsync();

        // The new node runs its scheduler, as a restarted server does.
        await using var second = await AidaApp.StartAsync(database, EmailTesting.Settings(smtp.Port, scheduler: true), ownsDatabase: false);
        var uncertain = await second.DeliverUntilAsync(cut.Id(), e => e.Str("status") != "sending");
        await second.DeliverUntilAsync(sent.Id(), e => true);

        Assert.Equal("uncertain", uncertain.Str("status"));
        Assert.Equal("sent", (await second.EmailAsync(sent.Id())).Str("status"));
        Assert.Single(smtp.MessagesTo(sentEmail));
        Assert.Empty(smtp.MessagesTo(cutEmail));
        var listed = await (await second.Client.GetAsync("/api/v1/emails?status=uncertain")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(listed.Items(), e => e.Id() == cut.Id());

        // A person decides: resent, it goes once.
        await (await second.Client.PostAsync($"/api/v1/emails/{cut.Id()}/resend", null)).ExpectAsync(HttpStatusCode.OK);
        await second.DeliverUntilAsync(cut.Id(), "sent");
        Assert.Single(smtp.MessagesTo(cutEmail));
        Assert.Single(smtp.MessagesTo(sentEmail));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_WithTheScheduler_IsSentWithoutWaitingForTheJobsInterval(DatabaseKind db)
    {
        await using var smtp = await SmtpSink.StartAsync();
        var settings = EmailTesting.Settings(smtp.Port, scheduler: true);
        settings["Email:Interval"] = "01:00:00";
        await using var app = await AidaApp.StartAsync(db, settings);
        var (_, contactId, email) = await app.CustomerWithContactAsync();

        var queued = await app.QueueAsync(new { contactId, subject = "Hi", bodyText = "Hi" });

        // Nothing here runs the job: queueing wakes it on this node (JobTriggers), long before its hourly interval.
        var sent = await Wait.ForAsync(() => app.EmailAsync(queued.Id()), e => e.Str("status") == "sent");
        Assert.Equal("sent", sent.Str("status"));
        Assert.Single(smtp.MessagesTo(email));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_WithNoSmtpHost_StaysQueuedAndSaysDeliveryIsOff(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var (customerId, contactId, _) = await app.CustomerWithContactAsync();

        var queued = await app.QueueAsync(new { contactId, subject = "Hi", bodyText = "Hi" });
        var after = await app.DeliverUntilAsync(queued.Id(), e => true);

        Assert.Equal("queued", after.Str("status"));
        Assert.Equal(0, after.GetProperty("attempts").GetInt32());
        Assert.Contains("Email:Smtp:Host", after.Str("statusReason"), StringComparison.Ordinal);
        var entry = await app.TimelineEntryAsync(customerId, queued.GetProperty("interactionId").GetGuid());
        Assert.Contains("delivery is off", entry.GetProperty("delivery").Str("reason"), StringComparison.Ordinal);
    }
}
