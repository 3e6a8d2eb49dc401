using System.Net;
using System.Text.Json;
using Aida.Features.Interactions.Email;
using Aida.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Interactions.Email;

public static class EmailTesting
{
    public const string From = "sales@ourco.example";

    /// <summary>
    /// Settings for a server that sends through the test SMTP server on <paramref name="port"/>: quick retries, 3 a minute
    /// per domain. The tests run the send job themselves unless <paramref name="scheduler"/>: a run of their own beside
    /// the scheduler's would be two runs at once, which the scheduler's lease never allows.
    /// </summary>
    public static Dictionary<string, string?> Settings(int port, bool scheduler = false) => new()
    {
        ["Jobs:Enabled"] = scheduler ? "true" : "false",
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "none",
        ["Email:Smtp:Timeout"] = "00:00:10",
        ["Email:From"] = $"Ourco Sales <{From}>",
        ["Email:PerDomainPerMinute"] = "3",
        ["Email:RetrySchedule"] = "50ms, 50ms, 50ms, 50ms",
    };

    /// <summary>An organisation and its primary contact at a domain of the test's own; returns (customerId, contactId, address).</summary>
    public static async Task<(Guid CustomerId, Guid ContactId, string Email)> CustomerWithContactAsync(
        this AidaApp app, string localPart = "ann", string? domain = null, string? name = null, string firstName = "Ann", bool doNotContact = false)
    {
        var email = $"{Builders.Unique(localPart)}@{domain ?? Builders.Unique("d") + ".example"}";
        var customer = await app.Client.CreateOrganizationAsync(name, primaryContact: new { firstName, lastName = "Lee", email, doNotContact });
        return (customer.Id(), customer.GetProperty("primaryContact").Id(), email);
    }

    public static async Task<Guid> ContactAsync(this AidaApp app, Guid customerId, string email)
    {
        var contact = await app.Client.CreateContactAsync(customerId, new { firstName = "Bo", lastName = "Lee", email });
        return contact.Id();
    }

    public static async Task<JsonElement> QueueAsync(this AidaApp app, object request) =>
        await (await app.Client.PostJsonAsync("/api/v1/emails", request)).ExpectAsync(HttpStatusCode.Accepted);

    public static async Task<JsonElement> EmailAsync(this AidaApp app, Guid id) =>
        await (await app.Client.GetAsync($"/api/v1/emails/{id}")).ExpectAsync(HttpStatusCode.OK);

    /// <summary>Runs the send job (as the scheduler would) until the email is in a state <paramref name="done"/> accepts; returns that.</summary>
    public static async Task<JsonElement> DeliverUntilAsync(this AidaApp app, Guid id, Func<JsonElement, bool> done)
    {
        var job = app.Services.GetRequiredService<EmailSendJob>();
        var email = await Wait.ForAsync(
            async () =>
            {
                await job.RunAsync(CancellationToken.None);
                return await app.EmailAsync(id);
            },
            done);
        Assert.True(done(email), $"The email never reached the expected state: {email}");
        return email;
    }

    public static Task<JsonElement> DeliverUntilAsync(this AidaApp app, Guid id, string status) =>
        app.DeliverUntilAsync(id, e => e.Str("status") == status);

    /// <summary>The timeline entry of the email's interaction.</summary>
    public static async Task<JsonElement> TimelineEntryAsync(this AidaApp app, Guid customerId, Guid interactionId)
    {
        var timeline = await (await app.Client.GetAsync($"/api/v1/customers/{customerId}/timeline")).ExpectAsync(HttpStatusCode.OK);
        return timeline.Items().Single(i => i.Id() == interactionId);
    }
}
