using System.Net;
using System.Text.Json;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Deals;

/// <summary>The seeded default pipeline (migration 0004) and small helpers the deal tests share.</summary>
public static class DealsTesting
{
    public static readonly Guid DefaultPipeline = Guid.Parse("01900000-0000-7000-8000-000000000001");
    public static readonly Guid InitialContact = Guid.Parse("01900000-0000-7000-8000-000000000011");
    public static readonly Guid Qualified = Guid.Parse("01900000-0000-7000-8000-000000000012");
    public static readonly Guid Proposal = Guid.Parse("01900000-0000-7000-8000-000000000013");
    public static readonly Guid Negotiation = Guid.Parse("01900000-0000-7000-8000-000000000014");
    public static readonly Guid ClosedWon = Guid.Parse("01900000-0000-7000-8000-000000000015");
    public static readonly Guid ClosedLost = Guid.Parse("01900000-0000-7000-8000-000000000016");

    public static async Task<Guid> CustomerAsync(this HttpClient client, string? name = null) =>
        (await client.CreateOrganizationAsync(name)).Id();

    /// <summary>A new deal for <paramref name="customerId"/>, with its body and ETag.</summary>
    public static async Task<(JsonElement Deal, string ETag)> CreateDealAsync(this HttpClient client, Guid customerId, string? title = null, decimal value = 1000m,
        string currency = "EUR", Guid? stageId = null, Guid? ownerId = null, string? expectedCloseOn = null)
    {
        var response = await client.PostJsonAsync("/api/v1/deals", new { title = title ?? Builders.Unique("Deal "), value, currency, customerId, stageId, ownerId, expectedCloseOn });
        var deal = await response.ExpectAsync(HttpStatusCode.Created);
        return (deal, response.ETag());
    }

    public static Task<HttpResponseMessage> MoveAsync(this HttpClient client, Guid dealId, Guid stageId, string? ifMatch, string? reason = null) =>
        client.SendJsonAsync(HttpMethod.Post, $"/api/v1/deals/{dealId}/move", new { stageId, reason }, ifMatch);
}
