using System.Diagnostics;
using System.Globalization;
using Aida.Features.Customers;
using Aida.Platform;
using Aida.Platform.Data;
using Bogus;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Leads;

/// <summary>
/// Reproducible leads in any number, for benchmarks (<c>aida seed --scale … --leads N</c>), such as
/// capture's dedupe lookup against a million leads. Names and companies come from Bogus pools; every
/// lead has a unique email (<c>first.last.N@domain</c>) and most a unique phone, so a benchmark can
/// capture repeats (lead N's email) or new people at will. Created over the two years before now in
/// time order; most are active, some lost or unresponsive; two in three are assigned to the reps.
/// </summary>
public sealed class SyntheticLeads
{
    public static readonly TimeSpan Span = TimeSpan.FromDays(730);

    private static readonly LeadSourceType[] Sources =
        [LeadSourceType.Website, LeadSourceType.Website, LeadSourceType.Website, LeadSourceType.Referral, LeadSourceType.Phone, LeadSourceType.Email, LeadSourceType.Social, LeadSourceType.Api];

    private readonly Random _random;
    private readonly IReadOnlyList<Guid> _reps;
    private readonly DateTime _now;
    private readonly string[] _firstNames;
    private readonly string[] _lastNames;
    private readonly string[] _companies;
    private readonly string[] _domains;

    public SyntheticLeads(int seed, IReadOnlyList<Guid> reps, DateTime now)
    {
        _random = new Random(seed);
        _reps = reps;
        _now = now;
        Randomizer.Seed = new Random(seed);
        var faker = new Faker("en");
        _firstNames = Pool(1000, () => faker.Name.FirstName());
        _lastNames = Pool(2000, () => faker.Name.LastName());
        _companies = Pool(5000, () => faker.Company.CompanyName());
        _domains = Pool(500, () => faker.Internet.DomainName());
    }

    /// <summary>The email of the <paramref name="index"/>th lead made from this seed: a repeat capture for a benchmark.</summary>
    public static string EmailOf(string first, string last, int index, string domain) =>
        string.Create(CultureInfo.InvariantCulture, $"{Matching.SearchKey(first).Replace(' ', '-')}.{Matching.SearchKey(last).Replace(' ', '-')}.{index}@{domain}");

    public IEnumerable<Lead> Generate(int count)
    {
        var start = _now - Span;
        for (var i = 0; i < count; i++)
        {
            var createdAt = Time.Truncate(start + (Span * ((i + _random.NextDouble()) / count)));
            var first = _firstNames[_random.Next(_firstNames.Length)];
            var last = _lastNames[_random.Next(_lastNames.Length)];
            var roll = _random.Next(100);
            var assigned = _reps.Count > 0 && roll % 3 != 0 ? _reps[roll % _reps.Count] : (Guid?)null;
            yield return new Lead
            {
                Id = Guid.CreateVersion7(new DateTimeOffset(createdAt)),
                FirstName = first,
                LastName = last,
                Email = EmailOf(first, last, i, _domains[_random.Next(_domains.Length)]),
                Phone = roll < 80 ? string.Create(CultureInfo.InvariantCulture, $"+1 555 {i / 10_000 % 1000:D3} {i % 10_000:D4}") : null,
                Company = roll < 70 ? _companies[_random.Next(_companies.Length)] : null,
                SourceType = Sources[_random.Next(Sources.Length)],
                Score = _random.Next(101),
                ScoredAt = createdAt,
                Status = roll switch { < 85 => LeadStatus.Active, < 93 => LeadStatus.Lost, _ => LeadStatus.Unresponsive },
                AssignedTo = assigned,
                AssignedAt = assigned is null ? null : createdAt,
                LastCapturedAt = createdAt,
                CreatedAt = createdAt,
                UpdatedAt = createdAt,
                Version = 1,
            };
        }
    }

    /// <summary>
    /// Seeds <paramref name="count"/> leads through <see cref="BulkInsert"/>, a batch per transaction.
    /// Writes no audit entries or events (benchmark data) and scores nothing (scores are random).
    /// </summary>
    public static async Task<(long Added, TimeSpan Elapsed)> SeedAsync(
        IServiceProvider services, int count, int seed, IProgress<(long Done, TimeSpan Elapsed)>? progress, CancellationToken cancellationToken)
    {
        var reps = await DemoData.EnsureRepsAsync(services, cancellationToken);
        var generator = new SyntheticLeads(seed, reps, Time.UtcNow(services.GetRequiredService<TimeProvider>()));
        const int batchSize = 20_000;
        var stopwatch = Stopwatch.StartNew();
        long done = 0;
        foreach (var batch in generator.Generate(count).Chunk(batchSize))
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
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            if (db.Provider == DatabaseProvider.Postgres)
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE leads", cancellationToken);
            }
        }

        return (done, stopwatch.Elapsed);
    }

    private static string[] Pool(int size, Func<string> make) => Enumerable.Range(0, size).Select(_ => make()).Distinct(StringComparer.Ordinal).ToArray();
}
