using System.Net;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Interactions;

/// <summary>
/// A deleted customer's history goes with it: its interactions, notes and messages answer 404 and leave
/// every list — for the administrator too, who otherwise reaches every customer.
/// </summary>
public sealed class DeletedCustomerTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DeletedCustomer_ItsInteractionsNotesAndMessagesAreGone(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["Communications:InternalDomains:0"] = "ourco.example" });
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Del", lastName = "Eted", email = "del@eted.example" });
        var interaction = await InteractionsApiTests.LogAsync(app.Client, customer.Id(), DateTimeOffset.UtcNow.AddHours(-1));
        var note = await app.Client.NoteAsync(customer.Id(), "A note on a customer about to go", visibility: "all");
        var message = (await (await app.Client.PostJsonAsync("/api/v1/communications", new
        {
            messageId = "<gone@eted.example>", from = "del@eted.example", to = new[] { "sales@ourco.example" }, subject = "Bye",
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("communication");

        await (await app.Client.DeleteAsync($"/api/v1/customers/{customer.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.GetAsync($"/api/v1/interactions/{interaction.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"/api/v1/interactions/{interaction.Id()}/follow-up")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"/api/v1/notes/{note.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"/api/v1/communications/{message.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"/api/v1/communications/{message.Id()}/thread")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await app.Client.IdsAsync($"/api/v1/interactions?customerId={customer.Id()}"));
        Assert.Empty(await app.Client.IdsAsync($"/api/v1/notes?customerId={customer.Id()}"));
        await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}/timeline")).ExpectProblemAsync(HttpStatusCode.NotFound);
        // Nor can anything new be hung on it.
        await (await app.Client.PostJsonAsync("/api/v1/notes", new { customerId = customer.Id(), content = "Too late" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "customerId");
    }
}
