using System.Globalization;
using System.Net;
using System.Text.Json;
using Aida.Features.Interactions;
using Aida.Features.Interactions.Communications;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Interactions;

/// <summary>WF-IT-002: messages handed over by an integration — dedupe, threading, matching, exclusions and the unmatched queue.</summary>
public sealed class CommunicationsApiTests
{
    private const string Ours = "ourco.example";

    private static readonly Dictionary<string, string?> Settings = new() { ["Communications:InternalDomains:0"] = Ours };

    private static async Task<AidaApp> StartAsync(DatabaseKind db) => await AidaApp.StartAsync(db, Settings);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_FromAKnownContact_MatchesTheContactAndLogsAnEmailInteraction(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "Ann@Lee.example" });
        var contactId = customer.GetProperty("primaryContact").Id();
        var sentAt = DateTimeOffset.UtcNow.AddHours(-3);

        var received = await ReceiveAsync(app.Client, new
        {
            messageId = "<first@lee.example>",
            from = "Ann Lee <ann@lee.example>",
            to = new[] { "Sales <sales@ourco.example>" },
            subject = "Question about invoices",
            bodyText = "Hello, where is my invoice?",
            sentAt,
        }, HttpStatusCode.Created);

        Assert.Equal("matched", received.Str("status"));
        var message = received.GetProperty("communication");
        var interaction = received.GetProperty("interaction");
        Assert.Equal(customer.Id(), message.GetProperty("customerId").GetGuid());
        Assert.Equal(contactId, message.GetProperty("contactId").GetGuid());
        Assert.Equal("inbound", message.Str("direction"));
        Assert.Equal("first@lee.example", message.Str("messageId"));
        Assert.Equal("ann@lee.example", message.Str("fromAddress"));
        Assert.Equal(["sales@ourco.example"], message.GetProperty("toAddresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(interaction.Id(), message.GetProperty("interactionId").GetGuid());
        Assert.Equal("email", interaction.Str("interactionType"));
        Assert.Equal("inbound", interaction.Str("direction"));
        Assert.Equal("email_sync", interaction.Str("source"));
        Assert.Equal("Question about invoices", interaction.Str("subject"));
        Assert.Equal(contactId, interaction.GetProperty("contactId").GetGuid());
        Assert.Equal(sentAt.UtcDateTime, interaction.GetProperty("occurredAt").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        await (await app.Client.GetAsync($"/api/v1/communications/{message.Id()}")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.GetAsync($"/api/v1/interactions/{interaction.Id()}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_Sms_MatchesTheContactByPhoneWhateverTheFormatting(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        var customer = await app.Client.CreateIndividualAsync(phone: "+1 (555) 010-9999");

        var received = await ReceiveAsync(app.Client, new { channel = "sms", from = "555.010.9999", to = new[] { "+1 555 000 0000" }, bodyText = "Running late" },
            HttpStatusCode.Created);

        Assert.Equal("matched", received.Str("status"));
        Assert.Equal(customer.Id(), received.GetProperty("communication").GetProperty("customerId").GetGuid());
        Assert.Equal(customer.GetProperty("primaryContact").Id(), received.GetProperty("communication").GetProperty("contactId").GetGuid());
        Assert.Equal("sms", received.GetProperty("interaction").Str("interactionType"));
        Assert.Equal("Running late", received.GetProperty("interaction").Str("description"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_FromAStrangerAtACustomersDomain_MatchesThatCustomer_ByContactEmailOrWebsite(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        var byContact = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Bob", lastName = "Acme", email = "bob@acme-x.example" });
        var byWebsite = await app.Client.CreateOrganizationAsync(account: new { legalName = "Globex Y Ltd", website = "https://www.globex-y.example/about" });
        await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Free", lastName = "Mailer", email = "free.mailer@gmail.com" });

        var fromColleague = await ReceiveAsync(app.Client, Message("colleague@acme-x.example"), HttpStatusCode.Created);
        var fromWebsite = await ReceiveAsync(app.Client, Message("dan@globex-y.example"), HttpStatusCode.Created);
        // A free-mail domain says nothing about the company.
        var fromFreeMail = await ReceiveAsync(app.Client, Message("someone.else@gmail.com"), HttpStatusCode.Created);

        Assert.Equal("matched", fromColleague.Str("status"));
        Assert.Equal(byContact.Id(), fromColleague.GetProperty("communication").GetProperty("customerId").GetGuid());
        Assert.Equal(JsonValueKind.Null, fromColleague.GetProperty("communication").GetProperty("contactId").ValueKind);
        Assert.Equal("matched", fromWebsite.Str("status"));
        Assert.Equal(byWebsite.Id(), fromWebsite.GetProperty("communication").GetProperty("customerId").GetGuid());
        Assert.Equal("unmatched", fromFreeMail.Str("status"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_AReplyFromAnUnknownAddress_BelongsToItsThreadsCustomer(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });
        var root = await ReceiveAsync(app.Client, Message("ann@lee.example", "<root@lee.example>"), HttpStatusCode.Created);

        var reply = await ReceiveAsync(app.Client, Message("assistant@elsewhere-z.example", "<reply@elsewhere-z.example>") with { InReplyTo = "<root@lee.example>" },
            HttpStatusCode.Created);

        Assert.Equal("matched", reply.Str("status"));
        Assert.Equal(customer.Id(), reply.GetProperty("communication").GetProperty("customerId").GetGuid());
        Assert.Equal(root.GetProperty("communication").Str("threadId"), reply.GetProperty("communication").Str("threadId"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_NoMatch_QueuesItForManagersAndAdmins_AndAssigningLogsTheInteraction(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        var (managerUser, manager) = await app.UserAsync(Role.Manager);
        var team = await app.TeamAsync(managerUser.Id);
        var (rep, repClient) = await app.UserAsync(Role.Rep, team.Id);
        var customer = await repClient.CreateIndividualAsync(ownerId: rep.Id);
        var hidden = await app.Client.CreateOrganizationAsync(); // owned by the admin: out of the manager's reach

        var received = await ReceiveAsync(app.Client, Message("nobody@nowhere-q.example") with { Subject = "Who am I?" }, HttpStatusCode.Created);

        Assert.Equal("unmatched", received.Str("status"));
        Assert.Equal(JsonValueKind.Null, received.GetProperty("interaction").ValueKind);
        var message = received.GetProperty("communication");
        Assert.Equal("unmatched", message.Str("matchStatus"));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
        Assert.Equal([message.Id()], await app.Client.IdsAsync("/api/v1/communications/unmatched"));
        Assert.Equal([message.Id()], await manager.IdsAsync("/api/v1/communications/unmatched"));
        Assert.Empty(await repClient.IdsAsync("/api/v1/communications/unmatched"));
        await (await repClient.GetAsync($"/api/v1/communications/{message.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await repClient.PostJsonAsync($"/api/v1/communications/{message.Id()}/assign", new { customerId = customer.Id() })).ExpectProblemAsync(HttpStatusCode.NotFound);

        // The manager cannot hand it to a customer they do not see.
        await (await manager.PostJsonAsync($"/api/v1/communications/{message.Id()}/assign", new { customerId = hidden.Id() })).ExpectProblemAsync(HttpStatusCode.BadRequest, "customerId");
        var assigned = await (await manager.PostJsonAsync($"/api/v1/communications/{message.Id()}/assign", new { customerId = customer.Id() })).ExpectAsync(HttpStatusCode.OK);

        var interaction = assigned.GetProperty("interaction");
        Assert.Equal(customer.Id(), interaction.GetProperty("customerId").GetGuid());
        Assert.Equal("Who am I?", interaction.Str("subject"));
        Assert.Equal("matched", assigned.GetProperty("communication").Str("matchStatus"));
        Assert.Empty(await manager.IdsAsync("/api/v1/communications/unmatched"));
        Assert.Contains(interaction.Id(), await repClient.IdsAsync($"/api/v1/interactions?customerId={customer.Id()}"));
        await (await repClient.GetAsync($"/api/v1/communications/{message.Id()}")).ExpectAsync(HttpStatusCode.OK); // now the rep's customer's
        await (await manager.PostJsonAsync($"/api/v1/communications/{message.Id()}/assign", new { customerId = customer.Id() })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_AutomatedInternalOrBulkMail_IsExcludedAndStoresNothing(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        // The senders are known contacts, so only the exclusion keeps them out.
        await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });
        await app.Client.CreateContactAsync((await app.Client.CreateOrganizationAsync()).Id(), new { firstName = "No", lastName = "Reply", email = "noreply@lee.example" });

        var cases = new (string Why, MessageBody Body)[]
        {
            ("noreply", Message("noreply@lee.example")),
            ("no-reply", Message("No-Reply@lee.example")),
            ("mailer-daemon", Message("MAILER-DAEMON@lee.example")),
            ("internal only", Message("me@ourco.example") with { To = ["you@ourco.example"], Cc = ["Them <them@OURCO.example>"] }),
            ("bulk", Message("ann@lee.example") with { Headers = new() { ["List-Unsubscribe"] = "<mailto:unsubscribe@lee.example>" } }),
        };
        foreach (var (why, body) in cases)
        {
            var answer = await ReceiveAsync(app.Client, body, HttpStatusCode.OK);
            Assert.True(answer.Str("status") == "excluded", $"{why}: {answer}");
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("communication").ValueKind);
        }

        Assert.Equal(0, await app.QueryAsync(d => d.Set<Communication>().IgnoreQueryFilters().CountAsync()));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Aida.Platform.Events.OutboxEvent>().CountAsync(e => e.Type.StartsWith("communication") || e.Type == "interaction.logged")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_FromOurDomainToACustomer_IsOutboundAndMatchesTheRecipient(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });

        var sent = await ReceiveAsync(app.Client, Message("Our Rep <rep@OurCo.example>") with
        {
            To = ["colleague@ourco.example", "Ann Lee <ann@lee.example>"],
        }, HttpStatusCode.Created);

        Assert.Equal("matched", sent.Str("status"));
        Assert.Equal("outbound", sent.GetProperty("communication").Str("direction"));
        Assert.Equal("outbound", sent.GetProperty("interaction").Str("direction"));
        Assert.Equal(customer.GetProperty("primaryContact").Id(), sent.GetProperty("communication").GetProperty("contactId").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_SameMessageIdTwice_StoresItOnce(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });
        var first = await ReceiveAsync(app.Client, Message("ann@lee.example", "<once@lee.example>"), HttpStatusCode.Created);

        // The same id, written without the angle brackets this time, from a second sync.
        var again = await ReceiveAsync(app.Client, Message("ann@lee.example", "once@lee.example") with { Subject = "Changed on the way" }, HttpStatusCode.OK);

        Assert.Equal("duplicate", again.Str("status"));
        Assert.Equal(first.GetProperty("communication").Id(), again.GetProperty("communication").Id());
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Communication>().IgnoreQueryFilters().CountAsync()));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
    }

    /// <summary>
    /// Issue 14.9: a message from another team's contact is matched where it belongs, but the rep who handed
    /// it over is told no more than for a message from a stranger (which waits in a queue a rep does not
    /// reach): the same 202, with no customer, contact or message id, and the same again when it is repeated.
    /// </summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_ByAnotherTeam_FromItsContact_Answers202WithoutIds_LikeAStrangersMessage(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        var (_, repAApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (repB, repBApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var address = $"{Builders.Unique("ann")}@lee-{Builders.Unique("x")}.example";
        var customer = await repAApi.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = address });
        var contactId = customer.GetProperty("primaryContact").Id();

        var known = await repBApi.PostJsonAsync("/api/v1/communications", Message(address, "<from-a@lee.example>"));
        var knownBody = await known.Content.ReadAsStringAsync();
        var stranger = await repBApi.PostJsonAsync("/api/v1/communications", Message($"{Builders.Unique("who")}@nowhere-{Builders.Unique("q")}.example"));
        var repeated = await repBApi.PostJsonAsync("/api/v1/communications", Message(address, "<from-a@lee.example>"));

        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal(knownBody, await stranger.Content.ReadAsStringAsync());
        Assert.Equal(knownBody, await repeated.Content.ReadAsStringAsync());
        Assert.Null(known.Headers.Location);
        Assert.Equal("accepted", JsonDocument.Parse(knownBody).RootElement.Str("status"));
        Assert.DoesNotContain(customer.Id().ToString(), knownBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(contactId.ToString(), knownBody, StringComparison.OrdinalIgnoreCase);

        // Matched all the same, on team A's customer, where team A sees it.
        var stored = await app.QueryAsync(d => d.Set<Communication>().IgnoreQueryFilters().SingleAsync(c => c.MessageId == "from-a@lee.example"));
        Assert.Equal(customer.Id(), stored.CustomerId);
        Assert.Equal(contactId, stored.ContactId);
        await (await repAApi.GetAsync($"/api/v1/communications/{stored.Id}")).ExpectAsync(HttpStatusCode.OK);
        await (await repBApi.GetAsync($"/api/v1/communications/{stored.Id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var logged = Assert.Single((await (await repAApi.GetAsync($"/api/v1/interactions?customerId={customer.Id()}")).ExpectAsync(HttpStatusCode.OK)).Items());
        Assert.Equal(repB.Id, logged.GetProperty("createdBy").GetGuid());
    }

    /// <summary>
    /// Edge case "thread reconstruction": root A, reply B, reply-to-the-reply C, arriving in every order,
    /// once with full References headers and once with only In-Reply-To: each ends as one thread.
    /// </summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_ThreadArrivingInAnyOrder_EndsAsOneThreadInSentOrder(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var orders = new[] { "CBA", "BCA", "CAB", "ACB", "BAC", "ABC" };

        foreach (var withReferences in new[] { true, false })
        {
            foreach (var order in orders)
            {
                var tag = $"{order}-{(withReferences ? "refs" : "irt")}-{Guid.NewGuid():N}";
                string Id(char m) => $"<{m}-{tag}@lee.example>";
                var messages = new Dictionary<char, MessageBody>
                {
                    ['A'] = Message("ann@lee.example", Id('A')) with { Subject = "Contract", SentAt = start },
                    ['B'] = Message("rep@ourco.example", Id('B')) with
                    {
                        To = ["ann@lee.example"], Subject = "Re: Contract", SentAt = start.AddHours(1), InReplyTo = Id('A'),
                        References = withReferences ? [Id('A')] : null,
                    },
                    ['C'] = Message("ann@lee.example", Id('C')) with
                    {
                        Subject = "Re: Re: Contract", SentAt = start.AddHours(2), InReplyTo = Id('B'),
                        References = withReferences ? [Id('A') + " " + Id('B')] : null,
                    },
                };
                var ids = new Dictionary<char, Guid>();
                foreach (var m in order)
                {
                    ids[m] = (await ReceiveAsync(app.Client, messages[m], HttpStatusCode.Created)).GetProperty("communication").Id();
                }

                var threads = new HashSet<string>();
                foreach (var m in "ABC")
                {
                    var stored = await (await app.Client.GetAsync($"/api/v1/communications/{ids[m]}")).ExpectAsync(HttpStatusCode.OK);
                    threads.Add(stored.Str("threadId"));
                    var thread = await (await app.Client.GetAsync($"/api/v1/communications/{ids[m]}/thread")).ExpectAsync(HttpStatusCode.OK);
                    Assert.True(thread.Items().Select(i => i.Id()).SequenceEqual([ids['A'], ids['B'], ids['C']]),
                        $"{tag}: the thread of {m} is {string.Join(", ", thread.Items().Select(i => i.Str("subject")))}");
                }

                Assert.True(threads.Count == 1, $"{tag}: {threads.Count} threads");
            }
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_BadInput_NamesTheFieldAndStoresNothing(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });
        var good = Message("ann@lee.example");
        var crowd = Enumerable.Range(0, Communication.MaxRecipients + 1).Select(i => $"r{i}@ourco.example").ToArray();

        var cases = new (MessageBody Body, string Field)[]
        {
            (good with { MessageId = null }, "messageId"),
            (good with { From = "not an address" }, "from"),
            (good with { From = "ann@lee.example, bob@lee.example" }, "from"),
            (good with { From = null }, "from"),
            (good with { To = crowd }, "to"),
            (good with { To = [] }, "to"),
            (good with { To = ["not an address"] }, "to"),
            (good with { SentAt = DateTimeOffset.UtcNow.AddDays(1) }, "sentAt"),
            (good with { Headers = new() { ["Date"] = "the day before yesterday" }, SentAt = null }, "headers.Date"),
        };
        foreach (var (body, field) in cases)
        {
            await (await app.Client.PostJsonAsync("/api/v1/communications", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        }

        Assert.Equal(0, await app.QueryAsync(d => d.Set<Communication>().IgnoreQueryFilters().CountAsync()));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Receive_RawHeadersInsteadOfFields_AreRead(DatabaseKind db)
    {
        await using var app = await StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" });
        var sentAt = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-2).AddHours(9).AddMinutes(30), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(1));
        var root = await ReceiveAsync(app.Client, new
        {
            headers = new Dictionary<string, string>
            {
                ["Message-ID"] = "<h-root@lee.example>",
                ["From"] = "Ann Lee <ann@lee.example>",
                ["To"] = "Sales <sales@ourco.example>, Bob <bob@ourco.example>",
                ["Subject"] = "Sent as headers",
                ["Date"] = Rfc2822(sentAt),
            },
            bodyText = "Body as a field",
        }, HttpStatusCode.Created);
        var reply = await ReceiveAsync(app.Client, new
        {
            headers = new Dictionary<string, string>
            {
                ["message-id"] = "<h-reply@ourco.example>",
                ["from"] = "sales@ourco.example",
                ["to"] = "ann@lee.example",
                ["in-reply-to"] = "<h-root@lee.example>",
                ["references"] = "<h-root@lee.example>",
                ["date"] = Rfc2822(sentAt.AddHours(1)) + " (CET)",
            },
        }, HttpStatusCode.Created);

        var message = root.GetProperty("communication");
        Assert.Equal("matched", root.Str("status"));
        Assert.Equal(customer.Id(), message.GetProperty("customerId").GetGuid());
        Assert.Equal("h-root@lee.example", message.Str("messageId"));
        Assert.Equal("ann@lee.example", message.Str("fromAddress"));
        Assert.Equal(["sales@ourco.example", "bob@ourco.example"], message.GetProperty("toAddresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Sent as headers", message.Str("subject"));
        Assert.Equal(sentAt.UtcDateTime, message.GetProperty("sentAt").GetDateTime().ToUniversalTime());
        var replied = reply.GetProperty("communication");
        Assert.Equal("outbound", replied.Str("direction"));
        Assert.Equal(message.Str("threadId"), replied.Str("threadId"));
        Assert.Equal("h-root@lee.example", replied.Str("inReplyTo"));
        Assert.Equal(sentAt.AddHours(1).UtcDateTime, replied.GetProperty("sentAt").GetDateTime().ToUniversalTime());
    }

    /// <summary>"Tue, 01 Dec 2026 10:30:00 +0100", as mail clients write the Date header.</summary>
    private static string Rfc2822(DateTimeOffset time) =>
        time.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + (time.Offset < TimeSpan.Zero ? "-" : "+") + time.Offset.ToString("hhmm", CultureInfo.InvariantCulture);

    /// <summary>The request body; "with" makes variants of one good message.</summary>
    private sealed record MessageBody(
        string? MessageId,
        string? From,
        string[]? To,
        string[]? Cc = null,
        string? Subject = null,
        string? BodyText = null,
        DateTimeOffset? SentAt = null,
        string? InReplyTo = null,
        string[]? References = null,
        Dictionary<string, string>? Headers = null);

    private static MessageBody Message(string from, string? messageId = null) =>
        new(messageId ?? $"<{Guid.NewGuid():N}@mail.example>", from, from.Contains(Ours, StringComparison.OrdinalIgnoreCase) ? ["ann@lee.example"] : ["sales@ourco.example"],
            Subject: "Hello", BodyText: "Just checking in.", SentAt: DateTimeOffset.UtcNow.AddMinutes(-30));

    private static async Task<JsonElement> ReceiveAsync(HttpClient client, object body, HttpStatusCode expected) =>
        await (await client.PostJsonAsync("/api/v1/communications", body)).ExpectAsync(expected);
}
