using System.CommandLine;
using Aida.Features.Customers;
using Aida.Platform.Data;

namespace Aida.Platform.Hosting.Verbs;

public static class SeedVerb
{
    private static readonly Option<bool> Demo = new("--demo")
    {
        Description = "Add realistic fake data: users, individuals and organisations with contacts, addresses, accounts and relationships.",
    };

    private static readonly Option<int> Customers = new("--customers")
    {
        Description = "How many customers to add.",
        DefaultValueFactory = _ => DemoData.DefaultCustomers,
    };

    private static readonly Option<int> RandomSeed = new("--seed")
    {
        Description = "Random seed, so the same command makes the same data.",
        DefaultValueFactory = _ => 2026,
    };

    public static Command Create()
    {
        var seed = new Command("seed", "Fill the database with data.") { Demo, Customers, RandomSeed };
        seed.Validators.Add(result =>
        {
            if (!result.GetValue(Demo))
            {
                result.AddError("Say what to seed: --demo is the only kind so far.");
            }

            if (result.GetValue(Customers) is < 1 or > 10_000_000)
            {
                result.AddError("--customers must be between 1 and 10,000,000.");
            }
        });
        seed.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = Cli.Configuration(parse);
            var settings = AidaSettings.From(configuration);
            await using var app = Program.BuildServer(settings, configuration);
            try
            {
                await Startup.PrepareDatabaseAsync(app.Services, settings, cancellationToken);
            }
            catch (MigrationException e)
            {
                await Console.Error.WriteLineAsync($"aida: {e.Message}");
                return 2;
            }

            var added = await DemoData.SeedAsync(app.Services, parse.GetValue(Customers), parse.GetValue(RandomSeed), cancellationToken);
            Console.WriteLine($"Added {added} demo customers to {settings.Database.Describe()}.");
            return 0;
        });
        return seed;
    }
}
