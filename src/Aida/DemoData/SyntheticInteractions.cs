using System.Buffers.Binary;
using System.Diagnostics;
using Aida.Features.Customers;
using Aida.Features.Interactions;
using Bogus;

namespace Aida.DemoData;

/// <summary>
/// Realistic, reproducible interactions in any number, for benchmarks (<c>aida seed --scale … --interactions N</c>):
/// the same seed and customers give the same rows. Emails, calls, meetings, chats and the rest in
/// realistic shares, each with the direction, outcome, duration and sync source its type implies, over
/// the two years before now in time order (so search's newest-first order is also the index's order).
/// Subjects and descriptions combine business topics with vocabulary drawn once from Bogus (products,
/// catch phrases, hacker jargon, departments), so a word can be common, middling or rare.
/// <para>
/// Who took part: half the interactions are with the customer's primary contact; the other half name
/// another person there, whose surnames are skewed as real ones are, only more: the "Smith" family (Smith,
/// Smithson, Smits, …) is 60% of them, so the prefix <see cref="BroadPrefix"/> (the issue's example) matches about a
/// fifth of all interactions — the broad query benchmarks search with. A few descriptions name a site in a
/// town (<see cref="RareWords"/>: a town named in a few dozen rows at most), the narrow query.
/// One customer (<see cref="HeavyCustomerId"/>) gets <see cref="HeavyInteractions"/> interactions, for the
/// timeline of a very active account; the rest are spread over the others, some far busier than most.
/// </para>
/// </summary>
public sealed class SyntheticInteractions
{
    public const int HeavyInteractions = 10_000;
    public const string BroadPrefix = "smi";
    public static readonly TimeSpan Span = TimeSpan.FromDays(730);

    /// <summary>A customer as the generator needs it: who owns it (logs its interactions) and its primary contact.</summary>
    public sealed record Target(Guid CustomerId, Guid Owner, Guid? ContactId, string? ContactName);

    private static readonly string[] SmithFamily = ["Smith", "Smith", "Smith", "Smith", "Smith", "Smithson", "Smits", "Smiley", "Smithers", "Smitham"];

    private static readonly string[] Topics =
    [
        "renewal", "pricing", "invoice", "contract", "onboarding", "integration", "data migration", "support ticket", "upgrade",
        "security review", "SSO setup", "API limits", "billing address", "purchase order", "quarterly review", "roadmap",
        "training session", "license count", "discount request", "payment terms", "delivery schedule", "implementation plan",
        "proof of concept", "reference call", "case study", "cancellation", "downgrade", "feature request", "bug report", "outage",
        "SLA credits", "GDPR request", "tax exemption", "refund", "shipping delay", "warranty claim", "product demo",
        "trial extension", "budget approval", "procurement", "vendor onboarding form", "NDA", "master services agreement",
        "statement of work", "kick-off", "go-live", "health check", "usage report", "expansion", "new department",
        "executive sponsor", "champion change", "competitor evaluation", "price increase", "multi-year deal", "annual plan",
        "seat true-up", "renewal quote", "login problems", "report export",
    ];

    private static readonly string[] NextSteps =
    [
        "send the revised quote", "schedule a follow-up call", "loop in their finance team", "share the security questionnaire",
        "book an onsite visit", "open a support case", "draft the order form", "confirm the start date", "send the recording",
        "escalate to engineering", "prepare a proposal", "check stock levels", "update the contract", "invite them to the webinar",
    ];

    private static readonly (InteractionType Type, int Weight)[] Types =
    [
        (InteractionType.Email, 40), (InteractionType.Call, 25), (InteractionType.Meeting, 12), (InteractionType.Chat, 8),
        (InteractionType.Sms, 5), (InteractionType.InPerson, 5), (InteractionType.Social, 3), (InteractionType.Other, 2),
    ];

    private readonly Random _random;
    private readonly IReadOnlyList<Target> _targets;
    private readonly DateTime _now;
    private readonly int[] _order;
    private readonly InteractionType[] _types;
    private readonly string[] _firstNames;
    private readonly string[] _lastNames;
    private readonly string[] _products;
    private readonly string[] _phrases;
    private readonly string[] _catchPhrases;
    private readonly string[] _departments;
    private readonly string[] _towns;
    private readonly int[] _townMentions;
    private readonly List<string> _people = [];

    public SyntheticInteractions(int seed, IReadOnlyList<Target> targets, DateTime now)
    {
        if (targets.Count == 0)
        {
            throw new ArgumentException("Interactions need customers to belong to.", nameof(targets));
        }

        _random = new Random(seed);
        _targets = targets;
        _now = now;
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        _firstNames = Pool(3000, () => faker.Name.FirstName());
        _lastNames = Pool(3000, () => faker.Name.LastName());
        _products = Pool(2000, () => faker.Commerce.ProductName());
        _phrases = Pool(3000, () => faker.Hacker.Phrase());
        _catchPhrases = Pool(2000, () => faker.Company.CatchPhrase().ToLowerInvariant());
        _departments = Pool(200, () => faker.Commerce.Department(1).ToLowerInvariant());
        // Towns of one word ("Kuhnbury", "Port Aleen" is two): each is then a word found nowhere else.
        _towns = Pool(20_000, () => faker.Address.City()).Where(t => t.All(char.IsAsciiLetter)).Take(5000).ToArray();
        _townMentions = new int[_towns.Length];
        _types = Types.SelectMany(t => Enumerable.Repeat(t.Type, t.Weight)).ToArray();
        // Activity is skewed (a few customers are far busier than most) but not tied to creation order.
        _order = Enumerable.Range(0, targets.Count).ToArray();
        _random.Shuffle(_order);
        HeavyCustomerId = targets[_order[0]].CustomerId;
    }

    /// <summary>The customer with <see cref="HeavyInteractions"/> interactions (a tenth of all, if fewer are made).</summary>
    public Guid HeavyCustomerId { get; }

    /// <summary>After <see cref="Generate"/>: words (lower case) found in 1 to 50 of the rows made, for narrow searches.</summary>
    public IReadOnlyList<string> RareWords() =>
        _towns.Where((_, i) => _townMentions[i] is >= 1 and <= 50).Select(t => t.ToLowerInvariant()).Distinct().ToList();

    /// <summary>After <see cref="Generate"/>: a sample of the names ("first last") interactions mention, for two-word searches.</summary>
    public IReadOnlyList<string> People() => _people.Distinct(StringComparer.Ordinal).ToList();

    public IEnumerable<Interaction> Generate(int count)
    {
        var heavy = Math.Min(HeavyInteractions, count / 10);
        var stride = heavy == 0 ? int.MaxValue : count / heavy;
        var start = _now - Span;
        var heavyMade = 0;
        for (var i = 0; i < count; i++)
        {
            Target target;
            if (i % stride == stride / 2 && heavyMade < heavy)
            {
                target = _targets[_order[0]];
                heavyMade++;
            }
            else
            {
                // u^1.5 over a shuffled order: the busiest customers have hundreds, most a handful.
                var index = 1 + (int)((_targets.Count - 1) * Math.Pow(_random.NextDouble(), 1.5));
                target = _targets[_order[Math.Min(index, _targets.Count - 1)]];
            }

            var occurredAt = start + (Span * ((i + _random.NextDouble()) / count));
            yield return Make(i, target, occurredAt);
        }
    }

    private Interaction Make(int n, Target target, DateTime occurredAt)
    {
        var type = Pick(_types);
        Guid? contactId = null;
        string person;
        if (target.ContactName is not null && _random.NextDouble() < 0.5)
        {
            contactId = target.ContactId;
            person = target.ContactName;
        }
        else
        {
            person = Pick(_firstNames) + " " + (_random.NextDouble() < 0.6 ? Pick(SmithFamily) : Pick(_lastNames));
        }

        if (n % 500 == 0)
        {
            _people.Add(person);
        }

        // Most are logged within hours; some days later; a few after more than 30 days (flagged backdated).
        var delay = _random.NextDouble() switch
        {
            < 0.90 => TimeSpan.FromMinutes(_random.Next(0, 240)),
            < 0.97 => TimeSpan.FromHours(_random.Next(24, 240)),
            _ => TimeSpan.FromDays(_random.Next(31, 60)),
        };
        var createdAt = occurredAt + delay > _now ? _now : occurredAt + delay;
        var topic = Pick(Topics);
        var direction = _random.NextDouble() < (type is InteractionType.Email or InteractionType.Chat or InteractionType.Sms ? 0.5 : 0.3)
            ? Direction.Inbound
            : Direction.Outbound;
        var source = Source(type);
        var id = UuidV7(createdAt);
        var related = _random.NextDouble() < 0.05;
        return new Interaction
        {
            Id = id,
            CustomerId = target.CustomerId,
            ContactId = contactId,
            InteractionType = type,
            Direction = direction,
            Subject = _random.NextDouble() < 0.03 ? null : Subject(type, direction, person, topic),
            Description = _random.NextDouble() < 0.1 ? null : Description(person, topic),
            OccurredAt = occurredAt,
            DurationMinutes = type switch
            {
                InteractionType.Call => _random.Next(1, 46),
                InteractionType.Meeting or InteractionType.InPerson => 15 * _random.Next(1, 9),
                _ => null,
            },
            Outcome = Outcome(type),
            Sentiment = _random.NextDouble() switch
            {
                < 0.25 => Sentiment.Positive,
                < 0.35 => Sentiment.Neutral,
                < 0.40 => Sentiment.Negative,
                _ => null,
            },
            Source = source,
            // A synced interaction carries the id it has in the system it came from.
            ExternalId = source is InteractionSource.EmailSync or InteractionSource.PhoneIntegration or InteractionSource.CalendarSync
                ? $"{EnumText<InteractionSource>.ToText(source)}:{id:N}"
                : null,
            RelatedType = related ? RelatedRecordType.Opportunity : null,
            RelatedId = related ? UuidV7(occurredAt) : null,
            CreatedBy = target.Owner,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            Version = 1,
        };
    }

    private string Subject(InteractionType type, Direction direction, string person, string topic)
    {
        var product = Pick(_products);
        return (type, _random.Next(4)) switch
        {
            (InteractionType.Email, 0) => $"Re: {Capitalize(topic)}",
            (InteractionType.Email, 1) => $"Question about {topic}",
            (InteractionType.Email, 2) => $"Follow-up: {topic} for the {product}",
            (InteractionType.Email, _) => $"Fwd: {product} quote",
            (InteractionType.Call, 0) when direction == Direction.Inbound => $"Missed call from {person}",
            (InteractionType.Call, 0 or 1) => $"Call with {person} about {topic}",
            (InteractionType.Call, _) => $"{person} called about {topic}",
            (InteractionType.Meeting, 0) => $"{Capitalize(topic)} review with {person}",
            (InteractionType.Meeting, 1) => "Quarterly business review",
            (InteractionType.Meeting, _) => $"Demo of the {product} for {person}",
            (InteractionType.InPerson, _) => $"Visit: {topic} with {person}",
            (InteractionType.Chat, _) => $"Chat with {person}: {topic}",
            (InteractionType.Sms, _) => $"SMS from {person}",
            (InteractionType.Social, _) => $"{person} mentioned us: {topic}",
            _ => Capitalize(topic),
        };
    }

    private string Description(string person, string topic)
    {
        var sentences = new List<string>(4);
        for (var count = _random.Next(1, 4); sentences.Count < count;)
        {
            sentences.Add(_random.Next(7) switch
            {
                0 => $"{person} asked about {topic} and the {Pick(_products)}.",
                1 => $"Discussed {topic}; {person} will check with their {Pick(_departments)} team.",
                2 => Pick(_phrases),
                3 => string.Create(CultureInfo.InvariantCulture, $"They are evaluating the {Pick(_products)} for {_random.Next(2, 400)} users."),
                4 => $"Agreed next step: {Pick(NextSteps)} by {CultureInfo.InvariantCulture.DateTimeFormat.GetDayName((DayOfWeek)_random.Next(1, 6))}.",
                5 => $"Their priority is a {Pick(_catchPhrases)}.",
                _ => string.Create(CultureInfo.InvariantCulture, $"Budget is around {_random.Next(5, 500) * 1000:N0} {(_random.NextDouble() < 0.6 ? "USD" : "EUR")} this year."),
            });
        }

        if (_random.NextDouble() < 0.01)
        {
            var town = _random.Next(_towns.Length);
            _townMentions[town]++;
            sentences.Add($"Next visit at the {_towns[town]} site.");
        }

        return string.Join(" ", sentences);
    }

    private InteractionOutcome? Outcome(InteractionType type) => type switch
    {
        InteractionType.Call => _random.NextDouble() switch
        {
            < 0.6 => InteractionOutcome.Successful,
            < 0.8 => InteractionOutcome.NoAnswer,
            < 0.9 => InteractionOutcome.LeftMessage,
            _ => InteractionOutcome.FollowUpNeeded,
        },
        InteractionType.Email => _random.NextDouble() < 0.02 ? InteractionOutcome.Bounced : null,
        InteractionType.Meeting or InteractionType.InPerson => _random.NextDouble() < 0.8 ? InteractionOutcome.Completed : InteractionOutcome.FollowUpNeeded,
        _ => null,
    };

    private InteractionSource Source(InteractionType type) => (type, _random.NextDouble()) switch
    {
        (InteractionType.Email, < 0.7) => InteractionSource.EmailSync,
        (InteractionType.Call, < 0.4) => InteractionSource.PhoneIntegration,
        (InteractionType.Meeting, < 0.5) => InteractionSource.CalendarSync,
        (_, < 0.1) => InteractionSource.Api,
        _ => InteractionSource.Manual,
    };

    /// <summary>A UUIDv7 of the given time whose random part comes from the seeded generator.</summary>
    private Guid UuidV7(DateTime time)
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        var ms = (ulong)new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(ms >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)ms);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    private T Pick<T>(T[] pool) => pool[_random.Next(pool.Length)];

    private static string[] Pool(int size, Func<string> make) => Enumerable.Range(0, size).Select(_ => make()).Distinct(StringComparer.Ordinal).ToArray();

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>
    /// Seeds <paramref name="count"/> interactions over every customer in the database through
    /// <see cref="BulkInsert"/>, a batch per transaction; the search index follows by the triggers of
    /// migration 0003, as for any write. Writes no audit entries or events (benchmark data).
    /// </summary>
    public static async Task<SeedResult> SeedAsync(
        IServiceProvider services, int count, int seed, IProgress<(long Done, TimeSpan Elapsed)>? progress, CancellationToken cancellationToken)
    {
        var reps = await DemoSeeder.EnsureRepsAsync(services, cancellationToken);
        SyntheticInteractions generator;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            var customers = await CustomerAccess.All(db).AsNoTracking().OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.OwnerId }).ToListAsync(cancellationToken);
            var primaries = (await CustomerAccess.AllContacts(db).AsNoTracking().Where(c => c.IsPrimary)
                    .Select(c => new { c.CustomerId, c.Id, c.FirstName, c.LastName }).ToListAsync(cancellationToken))
                .DistinctBy(c => c.CustomerId).ToDictionary(c => c.CustomerId);
            var targets = customers.Select((c, i) => primaries.TryGetValue(c.Id, out var contact)
                ? new Target(c.Id, c.OwnerId ?? reps[i % reps.Count], contact.Id, contact.FirstName + " " + contact.LastName)
                : new Target(c.Id, c.OwnerId ?? reps[i % reps.Count], null, null)).ToList();
            generator = new SyntheticInteractions(seed, targets, db.Clock.UtcNow());
        }

        const int batchSize = 20_000;
        var stopwatch = Stopwatch.StartNew();
        long done = 0;
        foreach (var batch in generator.Generate(count).Chunk(batchSize))
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            await using var transaction = await db.BeginBulkInsertAsync(cancellationToken);

            await BulkInsert.InsertAsync(db, batch, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            done += batch.Length;
            progress?.Report((done, stopwatch.Elapsed));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AidaDb>().RefreshStatisticsAsync(cancellationToken);
        }

        return new SeedResult(done, stopwatch.Elapsed, generator.HeavyCustomerId, generator.RareWords(), generator.People());
    }

    public sealed record SeedResult(long Added, TimeSpan Elapsed, Guid HeavyCustomerId, IReadOnlyList<string> RareWords, IReadOnlyList<string> People);
}
