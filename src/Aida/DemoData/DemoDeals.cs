using Aida.Features.Customers.Contacts;
using Aida.Features.Customers;
using Aida.Features.Deals;
using Aida.Features.Leads;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// Demo sales work (serve --demo, seed --demo): leads in every state, from fresh web enquiries to lost and
/// unresponsive ones, and deals on the default pipeline over the last six months with their stage history
/// (open ones in every stage, some stale, a few won and lost with their reasons), so the lead list, the
/// board, the forecast and the analytics have something to show. Deterministic for a given seed.
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

    private static readonly (string First, string Last, string Company, string Country, LeadSourceType Source, string Needs)[] LeadPeople =
    [
        ("Priya", "Raman", "Raman Dental", "GB", LeadSourceType.Website, "Six workstations for a new clinic"),
        ("Tom", "Becker", "Becker Logistics", "DE", LeadSourceType.Referral, "Tablets for 40 drivers"),
        ("Amelie", "Laurent", "", "FR", LeadSourceType.Website, "Laptop screen repair"),
        ("Jonas", "Berg", "Berg & Co", "SE", LeadSourceType.Email, "Yearly maintenance for the office"),
        ("Maria", "Garcia", "Garcia Law", "ES", LeadSourceType.Phone, "Secure backups for client files"),
        ("Kwame", "Mensah", "Mensah Foods", "GB", LeadSourceType.Social, "Point-of-sale terminals"),
        ("Olivia", "Brown", "", "US", LeadSourceType.WalkIn, "Water-damaged phone"),
        ("Chen", "Wei", "Wei Architects", "US", LeadSourceType.Website, "Workstations with big GPUs"),
        ("Fatima", "Zahra", "Zahra Travel", "NL", LeadSourceType.Api, "Managed IT for 12 staff"),
        ("Lucas", "Silva", "Silva Fitness", "US", LeadSourceType.Referral, "Front-desk kiosks"),
    ];

    private static async Task SeedAsync(IServiceProvider services, IReadOnlyList<Guid> users, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed + 7);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        if (users.Count == 0 || await db.Set<Opportunity>().AnyAsync(cancellationToken) || await db.Set<Lead>().AnyAsync(cancellationToken))
        {
            return;
        }

        var now = db.Clock.UtcNow();
        var customers = await db.Set<Customer>().OrderBy(c => c.Id).Take(40)
            .Select(c => new
            {
                c.Id,
                c.OwnerId,
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
            var created = now - TimeSpan.FromDays(random.Next(20, 180));
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

        for (var i = 0; i < LeadPeople.Length * 3; i++)
        {
            var person = LeadPeople[i % LeadPeople.Length];
            var round = i / LeadPeople.Length;
            var created = Time.Truncate(now - TimeSpan.FromDays(random.Next(0, 60)) - TimeSpan.FromMinutes(random.Next(0, 600)));
            var lead = new Lead
            {
                FirstName = person.First,
                LastName = round == 0 ? person.Last : $"{person.Last}-{(char)('A' + round)}",
                Email = $"{person.First}.{person.Last}{(round == 0 ? "" : round.ToString(System.Globalization.CultureInfo.InvariantCulture))}@example.com".ToLowerInvariant(),
                Company = person.Company.Length == 0 ? null : person.Company,
                Country = person.Country,
                SourceType = person.Source,
                SourceDetail = person.Source == LeadSourceType.Website ? "Contact us form" : null,
                UtmSource = person.Source == LeadSourceType.Website ? "google" : null,
                UtmMedium = person.Source == LeadSourceType.Website ? "cpc" : null,
                UtmCampaign = person.Source == LeadSourceType.Website ? "spring-repairs" : null,
                Needs = person.Needs,
                BudgetAmount = random.Next(2, 60) * 100m,
                BudgetCurrency = "USD",
                Authority = (LeadAuthority)(i % 4),
                Need = (LeadNeed)((i + 1) % 4),
                Timeline = (PurchaseTimeline)(i % 6),
                Urgency = (Urgency)(i % 4),
                Status = round == 2 ? (i % 2 == 0 ? LeadStatus.Lost : LeadStatus.Unresponsive) : LeadStatus.Active,
                LostReason = round == 2 && i % 2 == 0 ? "Went with a local shop" : null,
                QualificationStatus = round == 1 ? QualificationStatus.Qualifying : QualificationStatus.Unqualified,
                FollowUpCount = round == 2 && i % 2 == 1 ? 5 : i % 3,
                AssignedTo = i % 4 == 3 ? null : users[i % users.Count],
                AssignedAt = i % 4 == 3 ? null : created,
                RoutingReason = i % 4 == 3 ? null : "Assigned by hand (demo data)",
                ConnectedAt = i % 3 == 0 ? null : created.AddHours(3),
                LastContactAt = i % 3 == 0 ? null : created.AddHours(3),
                LastCapturedAt = created,
                CreatedAt = created,
                UpdatedAt = created,
            };
            db.Add(lead);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
