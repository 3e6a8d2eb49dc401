using System.Net;
using System.Text.Json;
using Aida.Features.Interactions;
using Aida.Features.Lifecycle;
using Aida.Features.Scoring;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Scoring;

/// <summary>A server whose scoring worker is off: the tests drive recalculation and runs step by step.</summary>
public sealed class ScoringFixture() : AidaFixture(new Dictionary<string, string?> { ["Scoring:WorkerEnabled"] = "false" });

/// <summary>A server whose scoring worker looks at the queue often, for the event-driven rescoring.</summary>
public sealed class ScoringWorkerFixture() : AidaFixture(new Dictionary<string, string?>
{
    ["Scoring:QueueInterval"] = "00:00:00.200",
    ["Scoring:DailyRunEnabled"] = "false",
});

public static class ScoringTesting
{
    public static async Task LogInteractionAsync(this HttpClient client, Guid customerId, string sentiment = "positive", DateTime? occurredAt = null) =>
        await (await client.PostJsonAsync("/api/v1/interactions", new
        {
            customerId,
            interactionType = "call",
            direction = "outbound",
            sentiment,
            occurredAt = occurredAt ?? DateTime.UtcNow.AddMinutes(-1),
        })).ExpectAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> RecalculateAsync(this HttpClient client, Guid customerId) =>
        await (await client.PostJsonAsync($"/api/v1/customers/{customerId}/scores/recalculate", new { })).ExpectAsync(HttpStatusCode.OK);

    public static JsonElement Score(this JsonElement scores, string type) =>
        scores.GetProperty("scores").EnumerateArray().Single(s => s.Str("scoreType") == type);

    public static int Value(this JsonElement scores, string type) => scores.Score(type).GetProperty("scoreValue").GetInt32();

    public static double Raw(this JsonElement scores, string type, string factor) =>
        scores.Score(type).GetProperty("factors").GetProperty(factor).GetProperty("raw").GetDouble();

    /// <summary>A new customer of <paramref name="client"/>'s, moved along the allowed path into the Customer stage.</summary>
    public static async Task<Guid> CustomerInStageAsync(this HttpClient client, string? name = null)
    {
        var id = (await client.CreateIndividualAsync(name)).Id();
        foreach (var stage in new[] { LifecycleStage.OpportunityId, LifecycleStage.CustomerId })
        {
            await (await client.SendJsonAsync(HttpMethod.Put, $"/api/v1/customers/{id}/lifecycle", new { stageId = stage }, null)).ExpectAsync(HttpStatusCode.OK);
        }

        return id;
    }

    /// <summary>Moves every interaction of the customer to <paramref name="occurredAt"/> with <paramref name="sentiment"/> (time passing, moods changing).</summary>
    public static Task<int> RewriteInteractionsAsync(this AidaApp app, Guid customerId, DateTime occurredAt, Sentiment sentiment) =>
        app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().Where(i => i.CustomerId == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.OccurredAt, occurredAt).SetProperty(i => i.Sentiment, sentiment)));

    /// <summary>What the purchases feature keeps on the lifecycle row (customer value, another helper's work).</summary>
    public static Task<int> SetPurchasesAsync(this AidaApp app, Guid customerId, DateOnly last, int count, decimal revenue) =>
        app.QueryAsync(d => d.Set<CustomerLifecycle>().IgnoreQueryFilters().Where(l => l.Id == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.LastPurchaseDate, last).SetProperty(l => l.FirstPurchaseDate, last)
                .SetProperty(l => l.PurchaseCount, count).SetProperty(l => l.TotalRevenue, revenue)));

    public static ScoringEngine Engine(this AidaApp app) => app.Services.GetRequiredService<ScoringEngine>();
}
