using Aida.Features.Customers.Contacts;
using Aida.Features.Customers;
using Aida.Features.Deals;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// Demo deals (serve --demo, seed --demo) on the default pipeline over the last six months, each opened after
/// its customer came, with their stage history (open ones in every stage, some stale, a few won and lost with
/// their reasons), so the board, the forecast and the analytics have something to show. The leads are
/// <see cref="DemoLeads"/>'. Deterministic for a given seed.
/// </summary>
public sealed class DemoDeals : IDemoData
{
    public int Order => 3;

    public string What => "deals with their stage history";

    public Task SeedAsync(DemoSeed demo, CancellationToken cancellationToken) =>
        SeedAsync(demo.Services, demo.Users, demo.RandomSeed, cancellationToken);

    private static readonly string[] DealTitles =
    [
        "Annual licence", "Fleet laptop refresh", "Support contract renewal", "Onboarding package", "Data migration",
        "Extra seats", "Premium support upgrade", "Warehouse tablets", "Managed backup", "Security audit",
    ];

    private static readonly string[] Reasons = ["Best fit for their budget", "Chose a competitor on price", "Project cancelled", "Strong champion and a clear ROI"];

    private static async Task SeedAsync(IServiceProvider services, IReadOnlyList<Guid> users, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed + 7);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        if (users.Count == 0 || await db.Set<Opportunity>().AnyAsync(cancellationToken))
        {
            return;
        }

        var now = db.Clock.UtcNow();
        var customers = await DemoCalendar.StableOrder(db.Set<Customer>()).Take(40)
            .Select(c => new
            {
                c.Id,
                c.OwnerId,
                c.CreatedAt,
                Contact = db.Set<Contact>().Where(p => p.CustomerId == c.Id && p.IsPrimary).Select(p => (Guid?)p.Id).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var stages = await db.Set<PipelineStage>().Where(s => s.PipelineId == Pipeline.DefaultId).OrderBy(s => s.Position).ToListAsync(cancellationToken);
        await using var transaction = await db.BeginWriteAsync(cancellationToken);

        for (var i = 0; i < customers.Count && stages.Count > 0; i++)
        {
            var customer = customers[i];
            // Most deals are open and spread over the stages; every fifth is won and every seventh lost.
            var stage = i % 5 == 0 ? stages.Single(s => s.Kind == StageKind.Won)
                : i % 7 == 0 ? stages.Single(s => s.Kind == StageKind.Lost)
                : stages[i % 4];
            // Opened in the last six months, but never before the customer was one.
            var earliest = Max(customer.CreatedAt, now - TimeSpan.FromDays(180));
            var created = DemoCalendar.Between(earliest, Max(earliest, now - TimeSpan.FromDays(random.Next(3, 20))), random);
            var deal = new Opportunity
            {
                Title = DealTitles[i % DealTitles.Length],
                Value = random.Next(8, 400) * 250m,
                Currency = "USD",
                PipelineId = Pipeline.DefaultId,
                StageId = stage.Id,
                CustomerId = customer.Id,
                ContactId = customer.Contact,
                OwnerId = customer.OwnerId ?? users[i % users.Count],
                Source = i % 3 == 0 ? "referral" : "website",
                Priority = (DealPriority)(i % 4),
                ExpectedCloseOn = DateOnly.FromDateTime(now.AddDays(random.Next(-20, 150))),
                Status = stage.Kind switch { StageKind.Won => DealStatus.Won, StageKind.Lost => DealStatus.Lost, _ => DealStatus.Open },
                CreatedAt = created,
                UpdatedAt = created,
            };

            // Walk the deal through the stages before its own, a few days to weeks in each.
            var entered = created;
            var path = stages.Where(s => s.Kind == StageKind.Open && s.Position < stage.Position).Append(stage).ToList();
            for (var step = 0; step < path.Count; step++)
            {
                var last = step == path.Count - 1;
                var left = last ? (DateTime?)null : Time.Truncate(entered + TimeSpan.FromDays(random.Next(3, 20)));
                if (left > now)
                {
                    left = null;
                    last = true;
                }

                db.Add(new OpportunityStageHistory { OpportunityId = deal.Id, StageId = path[step].Id, EnteredAt = entered, LeftAt = left, MovedBy = deal.OwnerId });
                if (last)
                {
                    deal.StageId = path[step].Id;
                    break;
                }

                entered = left!.Value;
            }

            var final = stages.Single(s => s.Id == deal.StageId);
            deal.Status = final.Kind switch { StageKind.Won => DealStatus.Won, StageKind.Lost => DealStatus.Lost, _ => DealStatus.Open };
            deal.StageEnteredAt = entered;
            // A few open deals have gone quiet for weeks: the board flags them stale.
            deal.LastActivityAt = deal.Status == DealStatus.Open && i % 6 == 1 ? entered : Time.Truncate(Max(entered, now - TimeSpan.FromDays(random.Next(0, 10))));
            if (deal.Status != DealStatus.Open)
            {
                deal.ClosedAt = entered;
                deal.CloseReason = deal.Status == DealStatus.Won ? Reasons[(i / 5) % 2 == 0 ? 0 : 3] : Reasons[1 + (i % 2)];
            }

            db.Add(deal);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
