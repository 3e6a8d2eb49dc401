using System.CommandLine;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers;
using Aida.Features.Import;
using Aida.Features.Interactions;
using Aida.Features.Leads;
using Aida.Platform.Hosting;
using Aida.Platform.Hosting.Verbs;

namespace Aida.DemoData;

public static class SeedVerb
{
    private static readonly Option<bool> Demo = new("--demo")
    {
        Description = "Demo data: sales reps, individuals and organisations with contacts, addresses and accounts, a hierarchy and partner/referral links.",
    };

    private static readonly Option<string?> Scale = new("--scale")
    {
        Description = "Benchmark data through the bulk import path: small (10,000 customers) or large (1,000,000).",
    };

    private static readonly Option<int?> Customers = new("--customers")
    {
        Description = $"How many customers to add (default {DemoSeeder.DefaultCustomers} for --demo, or the scale's size).",
    };

    private static readonly Option<int> RandomSeed = new("--seed")
    {
        Description = "Random seed, so the same command makes the same data.",
        DefaultValueFactory = _ => DemoSeeder.DefaultSeed,
    };

    private static readonly Option<bool> Dedupe = new("--dedupe")
    {
        Description = "With --scale: check every row for duplicates, as an import would, and skip likely ones.",
    };

    private static readonly Option<string?> Sample = new("--sample")
    {
        Description = "With --scale: write random customer ids (ids.txt) and contact name prefixes (prefixes.txt) to this directory, for load tests.",
    };

    private static readonly Option<int?> Interactions = new("--interactions")
    {
        Description = $"With --scale: then add this many interactions over all customers, one of them with {SyntheticInteractions.HeavyInteractions:N0} (a tenth, if fewer); with --sample also writes heavy.txt, rare-words.txt and people.txt.",
    };

    private static readonly Option<int?> Leads = new("--leads")
    {
        Description = "With --scale: then add this many leads (unique addresses lead{n}@" + SyntheticLeads.Domain + ", for capture benchmarks).",
    };

    private static readonly Option<long?> Purchases = new("--purchases")
    {
        Description = "With --scale: then add about this many purchases over all customers (a few refunds and renewals), and set each customer's purchase figures from them.",
    };

    public static Command Create()
    {
        var seed = Cli.AddDatabaseOptions(new Command("seed", "Fill the database with data.") { Demo, Scale, Customers, RandomSeed, Dedupe, Sample, Interactions, Leads, Purchases });
        seed.Validators.Add(result =>
        {
            var demo = result.GetValue(Demo);
            var scale = result.GetValue(Scale);
            if (demo == scale is not null)
            {
                result.AddError("Say what to seed: --demo, or --scale small|large.");
            }

            if (scale is not null and not ("small" or "large"))
            {
                result.AddError("--scale must be small or large.");
            }

            if (result.GetValue(Customers) is < 1 or > 10_000_000)
            {
                result.AddError("--customers must be between 1 and 10,000,000.");
            }

            if (result.GetValue(Interactions) is { } interactions && (interactions is < 1 or > 100_000_000 || scale is null))
            {
                result.AddError("--interactions goes with --scale and must be between 1 and 100,000,000.");
            }

            if (result.GetValue(Leads) is { } leads && (leads is < 1 or > 10_000_000 || scale is null))
            {
                result.AddError("--leads goes with --scale and must be between 1 and 10,000,000.");
            }

            if (result.GetValue(Purchases) is { } purchases && (purchases is < 1 or > 100_000_000 || scale is null))
            {
                result.AddError("--purchases goes with --scale and must be between 1 and 100,000,000.");
            }
        });
        seed.SetAction(RunAsync);
        return seed;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await using var app = await CliServer.OpenAsync(CliServer.DataVerbConfiguration(parse), cancellationToken);
        if (app is null)
        {
            return 2;
        }

        var settings = app.Services.GetRequiredService<AidaSettings>();

        var seed = parse.GetValue(RandomSeed);
        if (parse.GetValue(Demo))
        {
            var demo = await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(parse.GetValue(Customers) ?? DemoSeeder.DefaultCustomers, seed, cancellationToken);
            Console.WriteLine($"Added {demo.Imported} demo customers to {settings.Database.Describe()}.");
            return 0;
        }

        var count = parse.GetValue(Customers) ?? (parse.GetValue(Scale) == "large" ? 1_000_000 : 10_000);
        var owners = await DemoSeeder.EnsureRepsAsync(app.Services, cancellationToken);
        var rows = new SyntheticCustomers(seed, owners).Generate(count).ToAsyncEnumerable();
        var importer = app.Services.GetRequiredService<CustomerImporter>();
        var result = await importer.ImportAsync(rows, new ImportOptions { Dedupe = parse.GetValue(Dedupe) }, new ConsoleProgress(count), cancellationToken);
        await Console.Error.WriteLineAsync();
        var rate = result.Imported / Math.Max(result.Elapsed.TotalSeconds, 0.001);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported {result.Imported:N0} customers ({result.Duplicates:N0} duplicates skipped, {result.Rejected:N0} rejected) into {settings.Database.Describe()} in {result.Elapsed.TotalSeconds:N1} s: {rate:N0} customers/s."));

        if (parse.GetValue(Sample) is { } directory)
        {
            await WriteSampleAsync(app.Services, directory, cancellationToken);
        }

        if (parse.GetValue(Interactions) is { } interactions)
        {
            var added = await SyntheticInteractions.SeedAsync(app.Services, interactions, seed, new CountProgress(interactions, "interactions"), cancellationToken);
            await Console.Error.WriteLineAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Added {added.Added:N0} interactions (search index included) in {added.Elapsed.TotalSeconds:N1} s: {added.Added / Math.Max(added.Elapsed.TotalSeconds, 0.001):N0} interactions/s."));
            if (parse.GetValue(Sample) is { } sample)
            {
                await File.WriteAllTextAsync(Path.Combine(sample, "heavy.txt"), added.HeavyCustomerId + "\n", cancellationToken);
                await File.WriteAllLinesAsync(Path.Combine(sample, "rare-words.txt"), added.RareWords, cancellationToken);
                await File.WriteAllLinesAsync(Path.Combine(sample, "people.txt"), added.People, cancellationToken);
            }
        }

        if (parse.GetValue(Leads) is { } leadCount)
        {
            var added = await SyntheticLeads.SeedAsync(app.Services, leadCount, seed, new CountProgress(leadCount, "leads"), cancellationToken);
            await Console.Error.WriteLineAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Added {added.Added:N0} leads in {added.Elapsed.TotalSeconds:N1} s: {added.Added / Math.Max(added.Elapsed.TotalSeconds, 0.001):N0} leads/s."));
        }

        if (parse.GetValue(Purchases) is { } purchaseCount)
        {
            var added = await SyntheticPurchases.SeedAsync(app.Services, purchaseCount, seed, new CountProgress(purchaseCount, "purchases"), cancellationToken);
            await Console.Error.WriteLineAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Added {added.Added:N0} purchases (purchase figures included) in {added.Elapsed.TotalSeconds:N1} s: {added.Added / Math.Max(added.Elapsed.TotalSeconds, 0.001):N0} purchases/s."));
        }

        // A bulk load appends a count row per customer (Platform/Data/CountTables.cs): fold them now, not at the server's first look.
        await app.Services.GetRequiredService<CountFolding>().FoldAsync(force: true, cancellationToken);
        return 0;
    }

    private static async Task WriteSampleAsync(IServiceProvider services, string directory, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var ids = await db.Set<Customer>().AsNoTracking().OrderBy(_ => EF.Functions.Random()).Select(c => c.Id).Take(60_000).ToListAsync(cancellationToken);
        var names = await db.Set<Contact>().AsNoTracking().OrderBy(_ => EF.Functions.Random()).Select(c => c.LastNameKey).Take(2_000).ToListAsync(cancellationToken);
        Directory.CreateDirectory(directory);
        await File.WriteAllLinesAsync(Path.Combine(directory, "ids.txt"), ids.Select(i => i.ToString()), cancellationToken);
        await File.WriteAllLinesAsync(Path.Combine(directory, "prefixes.txt"),
            names.Where(n => n.Length >= 3).Select(n => Uri.EscapeDataString(n[..3])).Distinct(), cancellationToken);
    }

    private sealed class CountProgress(long total, string what) : IProgress<(long Done, TimeSpan Elapsed)>
    {
        public void Report((long Done, TimeSpan Elapsed) value) =>
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{value.Done:N0}/{total:N0} {what}, {value.Done / Math.Max(value.Elapsed.TotalSeconds, 0.001):N0}/s   "));
    }

    /// <summary>One line on standard error, redrawn per batch: how far, and how fast.</summary>
    private sealed class ConsoleProgress(int total) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            var rate = value.Imported / Math.Max(value.Elapsed.TotalSeconds, 0.001);
            var width = 30;
            var done = (int)(width * Math.Min(1.0, value.Read / (double)total));
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', done)}{new string('.', width - done)}] {value.Read:N0}/{total:N0} customers, {rate:N0}/s   "));
        }
    }
}
