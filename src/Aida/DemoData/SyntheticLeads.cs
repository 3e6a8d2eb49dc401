using System.Diagnostics;
using Aida.Features.Customers;
using Aida.Features.Leads;
using Bogus;

namespace Aida.DemoData;

/// <summary>
/// Realistic, reproducible leads in any number, for benchmarks (<c>aida seed --scale … --leads N</c>): people
/// with a unique address and phone (so capture's dedupe probes a table where every key is taken once),
/// companies, countries and sources in the shares a small B2B seller sees, UTM tags on the web ones, over
/// the year before now. Most are still being worked; some were lost or went quiet. Leads are spread over the
/// reps round-robin; a tenth wait unassigned. Unscored: a fresh install has no scoring rules.
/// </summary>
public sealed class SyntheticLeads
{
    /// <summary>Every generated address is in this domain, numbered, so a benchmark can name existing ones.</summary>
    public const string Domain = "leads.bench.example";

    private static readonly (LeadSourceType Source, int Weight)[] Sources =
    [
        (LeadSourceType.Website, 45), (LeadSourceType.Referral, 12), (LeadSourceType.Email, 10), (LeadSourceType.Phone, 10),
        (LeadSourceType.Social, 10), (LeadSourceType.Api, 8), (LeadSourceType.WalkIn, 3), (LeadSourceType.Other, 2),
    ];

    private static readonly string[] Countries = ["US", "US", "US", "GB", "GB", "DE", "FR", "NL", "CA", "AU", "ES", "IT", "SE", "IE", "NZ"];
    private static readonly string[] Campaigns = ["spring-sale", "webinar-q3", "brand", "retargeting", "newsletter", "partner-launch"];
    private static readonly string[] Media = ["cpc", "email", "social", "organic", "referral"];

    private readonly Random _random;
    private readonly IReadOnlyList<Guid> _reps;
    private readonly DateTime _now;
    private readonly string[] _firstNames;
    private readonly string[] _lastNames;
    private readonly string[] _companies;
    private readonly string[] _jobTitles;
    private readonly LeadSourceType[] _sources;

    public SyntheticLeads(int seed, IReadOnlyList<Guid> reps, DateTime now)
    {
        _random = new Random(seed);
        _reps = reps;
        _now = now;
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        _firstNames = Enumerable.Range(0, 3000).Select(_ => faker.Name.FirstName()).ToArray();
        _lastNames = Enumerable.Range(0, 3000).Select(_ => faker.Name.LastName()).ToArray();
        _companies = Enumerable.Range(0, 20_000).Select(_ => faker.Company.CompanyName()).ToArray();
        _jobTitles = Enumerable.Range(0, 500).Select(_ => faker.Name.JobTitle()).ToArray();
        _sources = Sources.SelectMany(s => Enumerable.Repeat(s.Source, s.Weight)).ToArray();
    }

    /// <summary>The address of the <paramref name="n"/>th generated lead (a benchmark's "returning" visitor).</summary>
    public static string EmailOf(int n) => $"lead{n}@{Domain}";

    /// <summary>Area code 198 is unassigned: no generated phone matches a real or benchmark-made one.</summary>
    public static string PhoneOf(int n) => $"+1 198 {n % 10_000_000:D7}";

    public IEnumerable<Lead> Generate(int count)
    {
        var start = _now - TimeSpan.FromDays(365);
        for (var i = 0; i < count; i++)
        {
            var createdAt = Time.Truncate(start + (TimeSpan.FromDays(365) * ((i + _random.NextDouble()) / count)));
            var source = _sources[_random.Next(_sources.Length)];
            var status = _random.NextDouble() switch { < 0.80 => LeadStatus.Active, < 0.92 => LeadStatus.Lost, _ => LeadStatus.Unresponsive };
            var assigned = i % 10 == 0 ? (Guid?)null : _reps[i % _reps.Count];
            var web = source is LeadSourceType.Website or LeadSourceType.Social;
            yield return new Lead
            {
                FirstName = _firstNames[_random.Next(_firstNames.Length)],
                LastName = _lastNames[_random.Next(_lastNames.Length)],
                Email = EmailOf(i),
                Phone = _random.NextDouble() < 0.6 ? PhoneOf(i) : null,
                Company = _random.NextDouble() < 0.8 ? _companies[_random.Next(_companies.Length)] : null,
                JobTitle = _random.NextDouble() < 0.5 ? _jobTitles[_random.Next(_jobTitles.Length)] : null,
                Country = Countries[_random.Next(Countries.Length)],
                SourceType = source,
                UtmSource = web ? (source == LeadSourceType.Social ? "linkedin" : "google") : null,
                UtmMedium = web ? Media[_random.Next(Media.Length)] : null,
                UtmCampaign = web ? Campaigns[_random.Next(Campaigns.Length)] : null,
                Urgency = (Urgency)_random.Next(4),
                Status = status,
                LostReason = status == LeadStatus.Lost ? "No budget this year" : null,
                FollowUpCount = status == LeadStatus.Unresponsive ? 5 : _random.Next(0, 4),
                AssignedTo = assigned,
                AssignedAt = assigned is null ? null : createdAt,
                LastCapturedAt = createdAt,
                CreatedAt = createdAt,
                UpdatedAt = createdAt,
                Version = 1,
            };
        }
    }

    public static async Task<(long Added, TimeSpan Elapsed)> SeedAsync(
        IServiceProvider services, int count, int seed, IProgress<(long Done, TimeSpan Elapsed)>? progress, CancellationToken cancellationToken)
    {
        var reps = await DemoSeeder.EnsureRepsAsync(services, cancellationToken);
        SyntheticLeads generator;
        await using (var scope = services.CreateAsyncScope())
        {
            generator = new SyntheticLeads(seed, reps, scope.ServiceProvider.GetRequiredService<AidaDb>().Clock.UtcNow());
        }

        var stopwatch = Stopwatch.StartNew();
        long done = 0;
        foreach (var batch in generator.Generate(count).Chunk(20_000))
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            await using var transaction = await db.BeginWriteAsync(cancellationToken);
            await BulkInsert.InsertAsync(db, batch, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            done += batch.Length;
            progress?.Report((done, stopwatch.Elapsed));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AidaDb>().RefreshStatisticsAsync(cancellationToken);
        }

        return (done, stopwatch.Elapsed);
    }
}
