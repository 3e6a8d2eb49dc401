using System.Globalization;
using System.Text;
using Aida.Features.Customers;
using Aida.Features.Customers.Duplicates;

namespace Aida.Bench.DedupeEval;

/// <summary>
/// Measures Aida's duplicate scorer against labelled public data (../shared/data; never copied into the
/// repository): precision and recall of "refuse as duplicate" (score above the threshold) and of "show as
/// possible duplicate" (score at or above the report floor), over every pair of records.
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
        Console.WriteLine($"Duplicate scorer evaluation (threshold > {options.Threshold}, report floor >= {options.ReportFloor})");
        Console.WriteLine();
        Console.WriteLine("| data set | records | true pairs | refused: precision | refused: recall | shown: precision | shown: recall |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Evaluate("restaurants (Fodor's/Zagat), name + phone", Restaurants(data), options);
        foreach (var n in new[] { "1", "2", "3" })
        {
            Evaluate($"FEBRL dataset {n}, person names only", Febrl(data, n), options);
        }

        return 0;
    }

    private sealed record Labelled(string Entity, MatchKeys Keys);

    private static void Evaluate(string name, IReadOnlyList<Labelled> records, DuplicateOptions options)
    {
        long truePairs = 0, refusedTrue = 0, refusedFalse = 0, shownTrue = 0, shownFalse = 0;
        for (var i = 0; i < records.Count; i++)
        {
            for (var j = i + 1; j < records.Count; j++)
            {
                var same = records[i].Entity == records[j].Entity;
                var score = DuplicateScore.Compute(records[i].Keys, records[j].Keys).Score;
                truePairs += same ? 1 : 0;
                if (score > options.Threshold)
                {
                    if (same) { refusedTrue++; } else { refusedFalse++; }
                }

                if (score >= options.ReportFloor)
                {
                    if (same) { shownTrue++; } else { shownFalse++; }
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {records.Count:N0} | {truePairs:N0} | {Ratio(refusedTrue, refusedTrue + refusedFalse)} | {Ratio(refusedTrue, truePairs)} | {Ratio(shownTrue, shownTrue + shownFalse)} | {Ratio(shownTrue, truePairs)} |"));
    }

    private static string Ratio(long part, long whole) =>
        whole == 0 ? "–" : (part / (double)whole).ToString("0.000", CultureInfo.InvariantCulture);

    private static List<Labelled> Restaurants(string data)
    {
        var rows = Csv(Path.Combine(data, "restaurant_dedupe", "restaurant.csv")).Skip(1);
        return rows.Select(r =>
        {
            var key = Matching.NameKey(r[1]);
            var phone = Matching.PhoneKey(r[4]);
            return new Labelled(r[6].Trim().Trim('\''), new MatchKeys(
                CustomerType.Organization, key, Matching.Phonetic(key), [], phone is null ? [] : [phone], []));
        }).ToList();
    }

    private static List<Labelled> Febrl(string data, string n)
    {
        var rows = Csv(Path.Combine(data, "febrl", $"febrl_dataset{n}.csv")).Skip(1);
        return rows.Select(r =>
        {
            // rec-<N>-org / rec-<N>-dup-<k>: N identifies the person; it is never shown to the scorer.
            var entity = r[0].Trim().Split('-')[1];
            var key = Matching.NameKey($"{r[1].Trim()} {r[2].Trim()}");
            return new Labelled(entity, new MatchKeys(CustomerType.Individual, key, Matching.Phonetic(key), [], [], []));
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
