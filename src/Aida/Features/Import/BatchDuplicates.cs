using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;

namespace Aida.Features.Import;

/// <summary>
/// Duplicate detection for a whole import batch at once: the batch's blocking keys are looked up with a
/// few IN queries instead of one query per row, then every row is scored in memory against what was found
/// and against the rows before it in the same batch. Rows whose best match is above the threshold are
/// left out; scoring is the same <see cref="DuplicateScore"/> the API uses.
/// </summary>
public static class BatchDuplicates
{
    /// <summary>Common keys' holders an import keeps the match keys of, at most (<see cref="BlockingMemory"/>).</summary>
    public const int ImportCandidateLimit = 25_000;

    /// <summary>Common keys' holders an import keeps the addresses of, at most (<see cref="BlockingMemory.RememberAddresses"/>).</summary>
    public const int ImportAddressLimit = 200_000;

    public static async Task<List<(long Row, NewCustomer Customer)>> WithoutDuplicatesAsync(
        AidaDb db, List<(long Row, NewCustomer Customer)> batch, DuplicateOptions options, CancellationToken cancellationToken)
    {
        var matches = await MatchAsync(db, batch.Select(b => b.Customer).ToList(), options, cancellationToken);
        return batch.Where((_, i) => matches[i] is null).ToList();
    }

    /// <summary>
    /// For each new customer, its likeliest duplicate above the threshold: an existing customer, or an
    /// earlier one of <paramref name="batch"/> (by index); null when it has none. A row that matches is
    /// not itself a candidate for the rows after it, so a chain of near-copies all point at the first.
    /// </summary>
    /// <param name="memory">What the caller's import has read before, kept across its batches.</param>
    /// <param name="second">
    /// Another unit of work on its own connection, that sees what <paramref name="db"/> sees: stored customers are then read
    /// half through each, at once, on two cores (most of a large batch's time is these reads).
    /// </param>
    public static async Task<BatchMatch?[]> MatchAsync(
        AidaDb db, IReadOnlyList<NewCustomer> batch, DuplicateOptions options, CancellationToken cancellationToken,
        BlockingMemory? memory = null, AidaDb? second = null)
    {
        var keys = batch.Select(b => DuplicateDetector.KeysOf(b.Probe())).ToList();
        var index = new KeyIndex(options.CandidatesPerKey);
        foreach (var existing in await ExistingAsync(new Readers(db, second), keys, options, memory ?? new BlockingMemory(ImportCandidateLimit, ImportAddressLimit), cancellationToken))
        {
            index.Add(new Candidate(existing.Keys, existing.Id, null));
        }

        // Only a score above the threshold makes a match, so the scorer may stop at any pair that cannot reach it.
        double ScoreAbove(MatchKeys probe, MatchKeys candidate) => DuplicateScore.Compute(probe, candidate, options.Threshold)?.Score ?? double.MinValue;

        // Scores against stored customers do not depend on one another, so they are worked out first, on every core;
        // rows are then settled in file order, scoring only the earlier rows each finds (the index grows as they go).
        var rows = keys.Select((k, i) => new Candidate(k, null, i)).ToArray();
        var stored = new double[rows.Length][];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            i => stored[i] = index.Candidates(rows[i]).Select(candidate => ScoreAbove(keys[i], candidate.Keys)).ToArray());

        var matches = new BatchMatch?[batch.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            // The first best in the order the index gives, stored customers and earlier rows alike, as one pass would.
            // Rows only ever join the end of a key's list, so the stored customers come in the order they were scored.
            (Candidate? Candidate, double Score) best = (null, double.MinValue);
            var next = 0;
            foreach (var candidate in index.Candidates(rows[i]))
            {
                var score = candidate.Row is null ? stored[i][next++] : ScoreAbove(keys[i], candidate.Keys);
                if (score > best.Score)
                {
                    best = (candidate, score);
                }
            }

            if (best.Candidate is not null && best.Score > options.Threshold)
            {
                matches[i] = new BatchMatch(best.Candidate.Id, best.Candidate.Row, best.Score);
                continue;
            }

            index.Add(rows[i]);
        }

        return matches;
    }

    /// <summary>
    /// Existing customers sharing any key with the batch (the first holders of each, <see cref="TopPerKey"/>), with what
    /// the scorer compares (<see cref="CandidateKeys"/>) — except those a name key alone brings that cannot reach the
    /// threshold (<see cref="HopefulNamesakesAsync"/>).
    /// </summary>
    private static async Task<List<StoredCandidate>> ExistingAsync(
        Readers readers, List<MatchKeys> batch, DuplicateOptions options, BlockingMemory memory, CancellationToken cancellationToken)
    {
        var perKey = options.CandidatesPerKey;
        var saturated = memory.Keys;
        var common = new HashSet<Guid>();

        // Each key's first holders, by the key's value.
        async Task<Dictionary<string, List<Guid>>> LookUpAsync(IEnumerable<string> values, string table, string keyColumn, string idColumn)
        {
            var holders = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
            var unknown = new List<string>();
            foreach (var value in values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (saturated.TryGetValue(table + "." + keyColumn + ":" + value, out var known))
                {
                    holders[value] = known;
                    common.UnionWith(known);
                }
                else
                {
                    unknown.Add(value);
                }
            }

            foreach (var found in (await TopPerKey.QueryAsync(readers.First, unknown, table, keyColumn, idColumn, perKey, cancellationToken)).GroupBy(h => h.Key, StringComparer.Ordinal))
            {
                var ids = found.Select(h => Guid.Parse(h.Id)).ToList();
                holders[found.Key] = ids;
                if (ids.Count >= perKey)
                {
                    saturated[table + "." + keyColumn + ":" + found.Key] = ids;
                    common.UnionWith(ids);
                }
            }

            return holders;
        }

        var byName = new (Dictionary<string, List<Guid>> Holders, Func<MatchKeys, string> KeyOf)[]
        {
            (await LookUpAsync(batch.Select(k => k.NameKey), "customers", "name_key", "id"), k => k.NameKey),
            (await LookUpAsync(batch.Select(k => k.NameBlock), "customers", "name_block", "id"), k => k.NameBlock),
            (await LookUpAsync(batch.Select(k => k.NamePhonetic), "customers", "name_phonetic", "id"), k => k.NamePhonetic),
        };
        var mailboxes = await LookUpAsync(batch.SelectMany(k => k.Emails), "contacts", "email_normalized", "customer_id");
        var phones = await LookUpAsync(batch.SelectMany(k => k.Phones), "contacts", "phone_key", "customer_id");
        var mailDomains = await LookUpAsync(batch.SelectMany(k => k.Domains), "contacts", "email_domain", "customer_id");
        var webDomains = await LookUpAsync(batch.SelectMany(k => k.Domains), "accounts", "website_domain", "customer_id");
        // Addresses by street key (number, street, city), not by postal code alone: a postal code holds thousands of
        // customers, and reading them all for every batch made a large import quadratic.
        var streets = await LookUpAsync(batch.SelectMany(DuplicateDetector.StreetKeys), "addresses", "street_key", "customer_id");
        var ids = new[] { mailboxes, phones, mailDomains, webDomains, streets }.SelectMany(h => h.Values).SelectMany(h => h).ToHashSet();

        // What a row may share with a namesake unseen: a mailbox, phone or domain held by more customers than were read.
        bool Common(Dictionary<string, List<Guid>> holders, IEnumerable<string> keys) => keys.Any(key => holders.TryGetValue(key, out var h) && h.Count >= perKey);
        var unseen = batch.Select(k => new UnseenEvidence(Common(mailboxes, k.Emails), Common(phones, k.Phones), Common(mailDomains, k.Domains) || Common(webDomains, k.Domains))).ToList();
        ids.UnionWith(await HopefulNamesakesAsync(readers, batch, unseen, byName, ids, common, memory, options.Threshold, cancellationToken));

        var candidates = new List<StoredCandidate>(ids.Count);
        var unread = new List<Guid>();
        foreach (var id in ids)
        {
            if (memory.TryGetCandidate(id, out var known))
            {
                candidates.Add(known);
            }
            else
            {
                unread.Add(id);
            }
        }

        foreach (var candidate in await readers.ReadAsync(unread, CandidateKeys.LoadAsync, cancellationToken))
        {
            candidates.Add(candidate);
            if (common.Contains(candidate.Id))
            {
                memory.Remember(candidate);
            }
        }

        return candidates;
    }

    /// <summary>The unit of work a batch is matched in, and another that reads beside it (<see cref="MatchAsync"/>), if any.</summary>
    private sealed record Readers(AidaDb First, AidaDb? Second)
    {
        /// <summary>Reads by these ids, in two halves at once when there is a second unit of work and enough to share.</summary>
        public async Task<List<T>> ReadAsync<T>(List<Guid> ids, Func<AidaDb, List<Guid>, CancellationToken, Task<List<T>>> read, CancellationToken cancellationToken)
        {
            if (Second is null || ids.Count < 2_000)
            {
                return await read(First, ids, cancellationToken);
            }

            var half = ids.Count / 2;
            // Task.Run: SQLite's reads complete synchronously, so without it the second half would wait for the first.
            var first = Task.Run(() => read(First, ids.GetRange(0, half), cancellationToken), cancellationToken);
            var second = Task.Run(() => read(Second, ids.GetRange(half, ids.Count - half), cancellationToken), cancellationToken);
            var results = await Task.WhenAll(first, second);
            return [.. results[0], .. results[1]];
        }
    }

    /// <summary>A row's mailbox, phone or domain that more customers hold than the lookup read, so that any other may hold it.</summary>
    private readonly record struct UnseenEvidence(bool Mailbox, bool Phone, bool Domain);

    /// <summary>
    /// The customers a name key alone brings (found by no mailbox, phone, domain or street key of the batch) that could
    /// score above <paramref name="threshold"/> against a row that brought them. A name, even the same one, is not enough
    /// at the default threshold (with the same area, 0.75 ⊕ 0.15 ≈ 0.79): such a pair passes only with the same street
    /// address, or with a mailbox, phone or domain of the row that more customers hold than were read. So the namesakes'
    /// addresses are read first, and only those that could pass (<see cref="DuplicateScore.NamesakeBound"/>) are read
    /// whole. Names are the commonest keys: in a large import most candidates are namesakes, and reading every one of
    /// them, batch after batch, was most of the import's time at a million customers.
    /// </summary>
    private static async Task<HashSet<Guid>> HopefulNamesakesAsync(
        Readers readers, List<MatchKeys> batch, List<UnseenEvidence> unseen,
        IEnumerable<(Dictionary<string, List<Guid>> Holders, Func<MatchKeys, string> KeyOf)> byName,
        HashSet<Guid> foundOtherwise, HashSet<Guid> common, BlockingMemory memory, double threshold, CancellationToken cancellationToken)
    {
        // Each namesake with the rows that brought it; those the memory holds cost no read and are kept.
        var kept = new HashSet<Guid>();
        var namesakes = new Dictionary<Guid, List<int>>();
        foreach (var (holders, keyOf) in byName)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (!holders.TryGetValue(keyOf(batch[i]), out var found))
                {
                    continue;
                }

                foreach (var id in found.Where(id => !foundOtherwise.Contains(id)))
                {
                    if (memory.TryGetCandidate(id, out _))
                    {
                        kept.Add(id);
                        continue;
                    }

                    if (!namesakes.TryGetValue(id, out var rows))
                    {
                        namesakes[id] = rows = [];
                    }

                    rows.Add(i);
                }
            }
        }

        // Where each is: remembered for a common key's holder (the same few come back batch after batch), else read.
        var places = new Dictionary<Guid, IReadOnlyList<StreetAddress>>(namesakes.Count);
        var unread = new List<Guid>();
        foreach (var id in namesakes.Keys)
        {
            if (memory.TryGetAddresses(id, out var known))
            {
                places[id] = known;
            }
            else
            {
                unread.Add(id);
            }
        }

        var read = (await readers.ReadAsync(unread, CandidateKeys.AddressesAsync, cancellationToken)).ToLookup(a => a.CustomerId, a => a.Address);
        foreach (var id in unread)
        {
            places[id] = read[id].ToArray();
            if (common.Contains(id))
            {
                memory.RememberAddresses(id, places[id]);
            }
        }

        kept.UnionWith(namesakes.Where(n => n.Value.Any(i =>
        {
            var row = batch[i];
            return DuplicateScore.NamesakeBound(row.Addresses, places[n.Key], unseen[i].Mailbox, unseen[i].Phone, unseen[i].Domain,
                row.Type == CustomerType.Organization) > threshold;
        })).Select(n => n.Key));
        return kept;
    }

    /// <summary>A stored customer or a row of the batch, with its blocking keys worked out once.</summary>
    private sealed class Candidate(MatchKeys keys, Guid? id, int? row)
    {
        public MatchKeys Keys { get; } = keys;

        public Guid? Id { get; } = id;

        public int? Row { get; } = row;

        public string[] IndexKeys { get; } = KeyIndex.KeysOf(keys).ToArray();
    }

    /// <summary>Customers by each of their keys, at most <paramref name="perKey"/> per key as on create, so a common key cannot make a batch quadratic.</summary>
    private sealed class KeyIndex(int perKey)
    {
        private readonly Dictionary<string, List<Candidate>> _byKey = new(StringComparer.Ordinal);

        public void Add(Candidate candidate)
        {
            foreach (var key in candidate.IndexKeys)
            {
                if (!_byKey.TryGetValue(key, out var list))
                {
                    _byKey[key] = list = [];
                }

                if (list.Count < perKey)
                {
                    list.Add(candidate);
                }
            }
        }

        /// <summary>Those sharing a key with <paramref name="probe"/>, each once (by reference: a candidate is one object).</summary>
        public IEnumerable<Candidate> Candidates(Candidate probe) =>
            probe.IndexKeys.SelectMany(k => _byKey.TryGetValue(k, out var list) ? list : []).Distinct(ReferenceEqualityComparer.Instance).Cast<Candidate>();

        public static IEnumerable<string> KeysOf(MatchKeys keys)
        {
            if (keys.NameKey.Length > 0)
            {
                yield return "n:" + keys.NameKey;
                yield return "s:" + keys.NamePhonetic;
                yield return "b:" + keys.NameBlock;
            }

            foreach (var email in keys.Emails)
            {
                yield return "e:" + email;
            }

            foreach (var phone in keys.Phones)
            {
                yield return "p:" + phone;
            }

            foreach (var domain in keys.Domains)
            {
                yield return "d:" + domain;
            }

            // Addresses by postal code and house number, as the create's lookup narrows them.
            foreach (var (postalKey, number) in DuplicateDetector.BlockingAddresses(keys))
            {
                yield return "a:" + postalKey + "|" + number;
            }

            foreach (var street in DuplicateDetector.StreetKeys(keys))
            {
                yield return "t:" + street;
            }
        }
    }
}

/// <summary>A new customer's likeliest duplicate: an existing customer (<see cref="ExistingId"/>) or an earlier row of its batch (<see cref="EarlierIndex"/>).</summary>
public sealed record BatchMatch(Guid? ExistingId, int? EarlierIndex, double Score);
