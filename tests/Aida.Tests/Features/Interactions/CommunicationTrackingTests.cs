using System.Net;
using System.Text.Json;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Interactions;

/// <summary>Communication AC-2 (open and click tracking updates records) and AC-3 (bounced emails update contact status).</summary>
public sealed class CommunicationTrackingTests(CommunicationTrackingTests.Server fixture) : IClassFixture<CommunicationTrackingTests.Server>
{
    private static readonly Dictionary<string, string?> Internal = new() { ["Communications:InternalDomains:0"] = "ourco.example" };

    /// <summary>The class's servers, which know the company's own mail domain.</summary>
    public sealed class Server() : AidaFixture(Internal);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Tracking_OpensAndClicks_KeepTheFirstOfEach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var sent = await SendAsync(app, "opens@prospect.example"); // unmatched, still tracked
        var id = sent.GetProperty("communication").Id();
        var first = DateTimeOffset.UtcNow.AddMinutes(-30);

        await TrackAsync(app, id, new { @event = "opened", occurredAt = first.AddMinutes(10) });
        await TrackAsync(app, id, new { @event = "opened", occurredAt = first }); // a late report of an earlier open
        var clicked = await TrackAsync(app, id, new { @event = "clicked", occurredAt = first.AddMinutes(20) });
        var again = await TrackAsync(app, id, new { @event = "clicked", occurredAt = first.AddMinutes(25) });

        Assert.Equal(first.UtcDateTime, clicked.GetProperty("openedAt").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(first.AddMinutes(20).UtcDateTime, again.GetProperty("clickedAt").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.False(again.GetProperty("bounced").GetBoolean());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Tracking_HardBounce_MarksMessageInteractionAndContact_UntilTheAddressChanges(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Bea", lastName = "Bounce", email = "bea@customer.example" });
        var contactId = customer.GetProperty("primaryContact").Id();
        var sent = await SendAsync(app, "bea@customer.example");
        Assert.Equal("matched", sent.Str("status"));

        var bounced = await TrackAsync(app, sent.GetProperty("communication").Id(), new { @event = "bounced", bounceType = "hard" });

        Assert.True(bounced.GetProperty("bounced").GetBoolean());
        var interaction = await (await app.Client.GetAsync($"/api/v1/interactions/{sent.GetProperty("interaction").Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("bounced", interaction.Str("outcome"));
        var contactUrl = $"/api/v1/customers/{customer.Id()}/contacts/{contactId}";
        var contactResponse = await app.Client.GetAsync(contactUrl);
        var contact = await contactResponse.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, contact.GetProperty("emailBouncedAt").ValueKind);

        var changed = await (await app.Client.PatchJsonAsync(contactUrl, new { email = "bea.new@customer.example" }, contactResponse.ETag())).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("emailBouncedAt").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Tracking_HardBounceAfterASoftOne_StillMarksTheContactsAddress(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Hal", lastName = "Twice", email = "hal@customer.example" });
        var sent = await SendAsync(app, "hal@customer.example");
        var id = sent.GetProperty("communication").Id();

        // The message is already bounced after the soft report; the hard one is still news about the address.
        await TrackAsync(app, id, new { @event = "bounced", bounceType = "soft" });
        await TrackAsync(app, id, new { @event = "bounced", bounceType = "hard" });

        var contact = await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}/contacts/{customer.GetProperty("primaryContact").Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, contact.GetProperty("emailBouncedAt").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Tracking_SoftBounce_LeavesTheContactAlone_AndInboundOrBadEventsAreRefused(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Sol", lastName = "Soft", email = "sol@customer.example" });
        var sent = await SendAsync(app, "sol@customer.example");
        await TrackAsync(app, sent.GetProperty("communication").Id(), new { @event = "bounced", bounceType = "soft" });

        var contact = await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}/contacts/{customer.GetProperty("primaryContact").Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("emailBouncedAt").ValueKind);

        var inbound = await (await app.Client.PostJsonAsync("/api/v1/communications", new
        {
            messageId = "<in-1@customer.example>", from = "sol@customer.example", to = new[] { "sales@ourco.example" }, subject = "Hi",
        })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync($"/api/v1/communications/{inbound.GetProperty("communication").Id()}/tracking", new { @event = "opened" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await app.Client.PostJsonAsync($"/api/v1/communications/{sent.GetProperty("communication").Id()}/tracking", new { @event = "forwarded" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Client.PostJsonAsync($"/api/v1/communications/{Guid.CreateVersion7()}/tracking", new { @event = "opened" }))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> SendAsync(AidaApp app, string to) =>
        await (await app.Client.PostJsonAsync("/api/v1/communications", new
        {
            messageId = $"<{Guid.NewGuid():N}@ourco.example>",
            from = "Rep <rep@ourco.example>",
            to = new[] { to },
            subject = "Your quote",
            bodyText = "Please find the quote attached.",
            sentAt = DateTimeOffset.UtcNow.AddHours(-1),
        })).ExpectAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> TrackAsync(AidaApp app, Guid id, object body) =>
        await (await app.Client.PostJsonAsync($"/api/v1/communications/{id}/tracking", body)).ExpectAsync(HttpStatusCode.OK);
}
