using System.Net;
using System.Text.Json;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

/// <summary>Leads, scoring rules and routing rules made through the API, and the events they wrote.</summary>
public static class LeadTestData
{
    public static async Task<JsonElement> CreateLeadAsync(this HttpClient client, object body) =>
        await (await client.PostJsonAsync("/api/v1/leads", body)).ExpectAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> LeadAsync(this HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/v1/leads/{id}")).ExpectAsync(HttpStatusCode.OK);

    public static async Task<JsonElement> AddScoringRuleAsync(this HttpClient client, string name, string category, object condition, int points) =>
        (await (await client.PostJsonAsync("/api/v1/lead-scoring-rules", new { name, category, condition, points })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("rule");

    public static async Task<JsonElement> AddRoutingRuleAsync(this HttpClient client, object body) =>
        await (await client.PostJsonAsync("/api/v1/lead-routing-rules", body)).ExpectAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> TouchAsync(this HttpClient client, Guid leadId, string direction, string type = "call") =>
        (await (await client.PostJsonAsync($"/api/v1/leads/{leadId}/interactions", new { interactionType = type, direction, subject = $"{direction} {type}" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("lead");

    public static async Task<List<JsonElement>> EventsAsync(this AidaApp app, string type, Guid leadId)
    {
        var subject = $"leads/{leadId}";
        var rows = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().Where(e => e.Type == type && e.Subject == subject).OrderBy(e => e.Seq).Select(e => e.Data).ToListAsync());
        return rows.Select(r => JsonDocument.Parse(r).RootElement.Clone()).ToList();
    }

    public static int Score(this JsonElement lead) => lead.GetProperty("score").GetInt32();
}
