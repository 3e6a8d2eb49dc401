using System.Globalization;
using System.Text;
using Aida.Features.Customers;
using Aida.Features.Customers.Duplicates;

namespace Aida.Bench.DedupeEval;

/// <summary>
/// Measures Aida's duplicate detection against labelled public data (../shared/data; never copied into the
/// repository) the way a create meets it: records arrive one by one; each is looked up by the product's own
/// blocking keys (<see cref="DuplicateDetector"/>: name key, name sound, name block (family name's sound and formal first initial), email, phone forms, postal code with
/// house number, street key (number, street sound, city), at most <see cref="DuplicateOptions.CandidatesPerKey"/> per key) among those before it, and
/// only the pairs fetched are scored (<see cref="DuplicateScore"/>). A true pair never fetched counts as missed.
/// Tiers: refused (score above the threshold: 409) and possible (from the report floor up to the threshold:
/// created, returned as possible duplicates). FEBRL uses names and addresses only, never SSN or birth date.
/// Usage: dotnet run --project bench/DedupeEval -c Release [path-to-shared-data]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var data = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "data");
        if (!Directory.Exists(data))
        {
            Console.Error.WriteLine($"No data folder at {Path.GetFullPath(data)}; pass the path to shared/data.");
            return 1;
        }

        var options = new DuplicateOptions();
        Console.WriteLine($"Duplicate detection, blocking included (refused: score > {options.Threshold}; possible: {options.ReportFloor} <= score <= {options.Threshold}; {options.CandidatesPerKey} candidates per key)");
        Console.WriteLine();
        Console.WriteLine("| data set | records | true pairs | fetched true pairs | refused P | refused R | refused F1 | possible P | both tiers P | both tiers R | both tiers F1 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        Evaluate("restaurants (Fodor's/Zagat): name, street, city, phone", Restaurants(data), options);
        foreach (var n in new[] { "1", "2", "3", "4" })
        {
            Evaluate($"FEBRL {n}: names and addresses", Febrl(data, n), options);
        }

        return 0;
    }

    private sealed record Labelled(string Entity, MatchKeys Keys, string Street);

    private static void Evaluate(string name, IReadOnlyList<Labelled> records, DuplicateOptions options)
    {
        var truePairs = records.GroupBy(r => r.Entity).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        long fetchedTrue = 0, refusedTrue = 0, refusedFalse = 0, possibleTrue = 0, possibleFalse = 0;
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var j = 0; j < records.Count; j++)
        {
            var probe = records[j];
            var fetched = new HashSet<int>();
            foreach (var (key, numberFilter) in BlockingKeys(probe))
            {
                if (index.TryGetValue(key, out var list))
                {
                    fetched.UnionWith(list.Where(i => numberFilter is null || records[i].Street.Contains(numberFilter, StringComparison.Ordinal)).Take(options.CandidatesPerKey));
                }
            }

            foreach (var i in fetched)
            {
                var same = records[i].Entity == probe.Entity;
                fetchedTrue += same ? 1 : 0;
                var score = DuplicateScore.Compute(probe.Keys, records[i].Keys).Score;
                if (score > options.Threshold)
                {
                    if (same) { refusedTrue++; } else { refusedFalse++; }
                }
                else if (score >= options.ReportFloor)
                {
                    if (same) { possibleTrue++; } else { possibleFalse++; }
                }
            }

            foreach (var (key, _) in BlockingKeys(probe))
            {
                if (!index.TryGetValue(key, out var list))
                {
                    index[key] = list = [];
                }

                list.Add(j);
            }
        }

        var refusedP = Ratio(refusedTrue, refusedTrue + refusedFalse);
        var refusedR = Ratio(refusedTrue, truePairs);
        var bothP = Ratio(refusedTrue + possibleTrue, refusedTrue + refusedFalse + possibleTrue + possibleFalse);
        var bothR = Ratio(refusedTrue + possibleTrue, truePairs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {records.Count:N0} | {truePairs:N0} | {fetchedTrue:N0} | {F(refusedP)} | {F(refusedR)} | {F(F1(refusedP, refusedR))} | {F(Ratio(possibleTrue, possibleTrue + possibleFalse))} | {F(bothP)} | {F(bothR)} | {F(F1(bothP, bothR))} |"));
    }

    /// <summary>The keys the product's candidate lookup probes, as one index: the address key carries the house number the street must contain.</summary>
    private static IEnumerable<(string Key, string? Number)> BlockingKeys(Labelled record)
    {
        var keys = record.Keys;
        if (keys.NameKey.Length > 0)
        {
            yield return ("n:" + keys.NameKey, null);
            yield return ("s:" + keys.NamePhonetic, null);
            yield return ("b:" + keys.NameBlock, null);
        }

        foreach (var email in keys.Emails) { yield return ("e:" + email, null); }
        foreach (var phone in keys.Phones) { yield return ("p:" + phone, null); }
        foreach (var domain in keys.Domains) { yield return ("d:" + domain, null); }
        foreach (var (postalKey, number) in DuplicateDetector.BlockingAddresses(keys)) { yield return ("a:" + postalKey, number); }
        foreach (var street in DuplicateDetector.StreetKeys(keys)) { yield return ("t:" + street, null); }
    }

    private static double? Ratio(long part, long whole) => whole == 0 ? null : part / (double)whole;

    private static double? F1(double? p, double? r) => p is { } x && r is { } y && x + y > 0 ? 2 * x * y / (x + y) : null;

    private static string F(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static List<Labelled> Restaurants(string data)
    {
        var rows = Csv(Path.Combine(data, "restaurant_dedupe", "restaurant.csv")).Skip(1);
        return rows.Select(r =>
        {
            var probe = new DuplicateProbe(CustomerType.Organization, r[1], [], [r[4]], [])
            {
                Addresses = [StreetAddress.Of(r[2], null, r[3], "US")],
            };
            return new Labelled(r[6].Trim().Trim('\''), DuplicateDetector.KeysOf(probe), r[2]);
        }).ToList();
    }

    private static List<Labelled> Febrl(string data, string n)
    {
        var files = n == "4" ? new[] { "febrl_dataset4a.csv", "febrl_dataset4b.csv" } : [$"febrl_dataset{n}.csv"];
        return files.SelectMany(file => Csv(Path.Combine(data, "febrl", file)).Skip(1)).Select(r =>
        {
            // rec-<N>-org / rec-<N>-dup-<k>: N identifies the person; it is never shown to the matcher.
            var entity = r[0].Trim().Split('-')[1];
            var given = r[1].Trim();
            var surname = r[2].Trim();
            var street = $"{r[3].Trim()} {r[4].Trim()}".Trim();
            var probe = new DuplicateProbe(CustomerType.Individual, $"{given} {surname}".Trim(), [], [], [])
            {
                FirstName = given,
                LastName = surname,
                Addresses = [StreetAddress.Of(street, r[7].Trim(), r[6].Trim(), "AU")],
            };
            return new Labelled(entity, DuplicateDetector.KeysOf(probe), street);
        }).ToList();
    }

    /// <summary>Minimal RFC 4180 reader: quoted fields, doubled quotes, commas inside quotes.</summary>
    private static IEnumerable<string[]> Csv(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            var fields = new List<string>();
            var current = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                    else if (c == '"') { quoted = false; }
                    else { current.Append(c); }
                }
                else if (c == '"') { quoted = true; }
                else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
                else { current.Append(c); }
            }

            fields.Add(current.ToString());
            yield return fields.ToArray();
        }
    }
}
