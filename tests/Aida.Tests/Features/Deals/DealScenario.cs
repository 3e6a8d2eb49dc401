using Aida.Features.Deals;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Deals;

/// <summary>
/// Known deals for the forecast and analytics tests, stored directly with exactly the stages, values,
/// probabilities and dates the expected figures are worked out from (deal creation is another slice's
/// endpoint). Two reps in different teams, each owning one customer.
/// </summary>
public sealed record DealScenario(AidaApp App, User RepA, HttpClient RepAClient, User RepB, HttpClient RepBClient, Guid CustomerA, Guid CustomerB)
{
    public static async Task<DealScenario> BuildAsync(AidaApp app)
    {
        var teamA = await app.TeamAsync();
        var teamB = await app.TeamAsync();
        var (repA, repAClient) = await app.UserAsync(Role.Rep, teamA.Id);
        var (repB, repBClient) = await app.UserAsync(Role.Rep, teamB.Id);
        var customerA = await app.Client.CreateIndividualAsync(ownerId: repA.Id);
        var customerB = await app.Client.CreateIndividualAsync(ownerId: repB.Id);
        return new DealScenario(app, repA, repAClient, repB, repBClient, customerA.Id(), customerB.Id());
    }

    /// <summary>
    /// The forecast set (figures worked out in ForecastTests): EUR open deals in Jan–Mar 2030 and one
    /// unscheduled, a USD deal, wins and a loss inside and outside the range, one won today and one last year.
    /// </summary>
    public async Task<Dictionary<int, Guid>> SeedForecastAsync()
    {
        var a = RepA.Id;
        var b = RepB.Id;
        var today = DateTime.UtcNow.Date;
        return new Dictionary<int, Guid>
        {
            [1] = await DealAsync(CustomerA, a, "initial_contact", 1000m, "EUR", new DateOnly(2030, 1, 15)),
            [2] = await DealAsync(CustomerA, a, "negotiation", 2000m, "EUR", new DateOnly(2030, 1, 31)),
            [3] = await DealAsync(CustomerA, a, "proposal", 500.50m, "EUR", new DateOnly(2030, 2, 10), probability: 80),
            [4] = await DealAsync(CustomerB, b, "qualified", 3000m, "EUR", new DateOnly(2030, 3, 1)),
            [5] = await DealAsync(CustomerB, b, "proposal", 999.99m, "EUR", null),
            [6] = await DealAsync(CustomerA, a, "negotiation", 10000m, "USD", new DateOnly(2030, 1, 20)),
            [7] = await DealAsync(CustomerA, a, "closed_won", 1200m, "EUR", new DateOnly(2030, 2, 1), closedAt: new DateTime(2030, 2, 5, 10, 0, 0, DateTimeKind.Utc)),
            [8] = await DealAsync(CustomerB, b, "closed_lost", 400m, "EUR", new DateOnly(2030, 2, 1), closedAt: new DateTime(2030, 2, 6, 10, 0, 0, DateTimeKind.Utc)),
            [9] = await DealAsync(CustomerA, a, "initial_contact", 700m, "EUR", new DateOnly(2030, 5, 1)),
            [10] = await DealAsync(CustomerB, b, "closed_won", 50m, "EUR", null, closedAt: new DateTime(2029, 12, 31, 23, 0, 0, DateTimeKind.Utc)),
            [11] = await DealAsync(CustomerA, a, "closed_won", 300m, "EUR", null, closedAt: today.AddSeconds(30)),
            [12] = await DealAsync(CustomerA, a, "closed_won", 80m, "EUR", null, closedAt: new DateTime(today.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(-1)),
        };
    }

    /// <summary>A deal in a stage of the default pipeline; a closing stage needs <paramref name="closedAt"/>. No stage history is written.</summary>
    public Task<Guid> DealAsync(Guid customerId, Guid? ownerId, string stageCode, decimal value, string currency, DateOnly? expectedCloseOn,
        int? probability = null, DateTime? closedAt = null, Guid? leadId = null) =>
        App.QueryAsync(async d =>
        {
            var stage = await d.Set<PipelineStage>().SingleAsync(s => s.PipelineId == Pipeline.DefaultId && s.Code == stageCode);
            var deal = new Opportunity
            {
                Title = $"Deal {stageCode} {value}",
                Value = value,
                Currency = currency,
                PipelineId = Pipeline.DefaultId,
                StageId = stage.Id,
                ProbabilityOverride = probability,
                ExpectedCloseOn = expectedCloseOn,
                CustomerId = customerId,
                OwnerId = ownerId,
                Status = stage.Kind switch { StageKind.Won => DealStatus.Won, StageKind.Lost => DealStatus.Lost, _ => DealStatus.Open },
                ClosedAt = stage.Kind == StageKind.Open ? null : closedAt,
                CloseReason = stage.Kind == StageKind.Open ? null : "Test",
                LeadId = leadId,
                StageEnteredAt = DateTime.UtcNow,
                LastActivityAt = DateTime.UtcNow,
            };
            d.Add(deal);
            await d.SaveChangesAsync();
            return deal.Id;
        });
}
