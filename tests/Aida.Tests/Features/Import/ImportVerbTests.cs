using Aida.Features.Customers;
using Aida.Features.Import;
using Aida.Tests.Cli;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Import;

/// <summary><c>aida import FILE</c> through the real process: the wizard's engine, its counts and exit codes.</summary>
public sealed class ImportVerbTests
{
    private static string[] Target(TestDatabase database) => database.Kind == DatabaseKind.Sqlite
        ? ["--data-dir", database.DataDirectory]
        : ["--database", database.Settings.ConnectionString, "--data-dir", database.DataDirectory];

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Import_Csv_CreatesTheValidRowsAndPrintsTheSummary(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db);
        var file = Path.Combine(database.DataDirectory, "people.csv");
        Directory.CreateDirectory(database.DataDirectory);
        await File.WriteAllTextAsync(file, "First Name;Last Name;Email\nAda;Lovelace;ada@example.org\nBad;Row;not-an-email\nAlan;Turing;alan@example.org\n");

        var (exitCode, output, errors) = await AidaProcess.RunAsync(["import", file, "--valid-rows-only", .. Target(database)]);

        Assert.True(exitCode == 0, errors + output);
        Assert.Contains("completed: 3 rows read, 2 created, 0 updated, 0 skipped, 1 failed", output, StringComparison.Ordinal);
        await using var app = await AidaApp.StartAsync(database);
        Assert.Equal(2, await app.QueryAsync(d => d.Set<Customer>().CountAsync(c => c.Source == CustomerSource.Import)));
        var import = await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().SingleAsync());
        Assert.Equal(ImportStatus.Completed, import.Status);

        // All or nothing (the default): the bad row keeps every row out, and the exit code says so.
        var (again, summary, _) = await AidaProcess.RunAsync(["import", file, "--on-duplicate", "update", .. Target(database)]);
        Assert.Equal(1, again);
        Assert.Contains("failed", summary, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", summary, StringComparison.Ordinal);

        var (badOption, _, message) = await AidaProcess.RunAsync(["import", file, "--on-duplicate", "merge", .. Target(database)]);
        Assert.NotEqual(0, badOption);
        Assert.Contains("--on-duplicate", message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Import_TypeContactsAndLeads_AddsPeopleToExistingCustomersAndLeads_AndAnUnknownTypeIsRefused(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db);
        Directory.CreateDirectory(database.DataDirectory);
        var customers = Path.Combine(database.DataDirectory, "customers.csv");
        await File.WriteAllTextAsync(customers, "Name,External Id\nAcme Ltd,A-1\n");
        var (created, output, errors) = await AidaProcess.RunAsync(["import", customers, .. Target(database)]);
        Assert.True(created == 0, errors + output);

        var contacts = Path.Combine(database.DataDirectory, "contacts.csv");
        await File.WriteAllTextAsync(contacts, "Customer Number,First Name,Last Name,Email\nA-1,Ada,Lovelace,ada@example.org\nA-9,Alan,Turing,alan@example.org\n");
        var (exitCode, summary, problems) = await AidaProcess.RunAsync(["import", contacts, "--type", "contacts", "--valid-rows-only", .. Target(database)]);
        Assert.True(exitCode == 0, problems + summary);
        Assert.Contains("2 rows read, 1 created, 0 updated, 0 skipped, 1 failed", summary, StringComparison.Ordinal);
        var (refused, _, message) = await AidaProcess.RunAsync(["import", contacts, "--type", "deals", .. Target(database)]);
        Assert.Equal(1, refused);
        Assert.True(message.Contains("entityType", StringComparison.Ordinal), message);

        // Leads imported by the system user are nobody's until routed (no routing rules: the unassigned pool).
        var leads = Path.Combine(database.DataDirectory, "leads.csv");
        await File.WriteAllTextAsync(leads, "Email,First Name\ngrace@example.org,Grace\n");
        var (leadsExit, leadsSummary, leadsErrors) = await AidaProcess.RunAsync(["import", leads, "--type", "leads", .. Target(database)]);
        Assert.True(leadsExit == 0, leadsErrors + leadsSummary);
        Assert.Contains("1 rows read, 1 created", leadsSummary, StringComparison.Ordinal);

        await using var app = await AidaApp.StartAsync(database);
        var ada = await app.QueryAsync(d => d.Set<Aida.Features.Customers.Contacts.Contact>().IgnoreQueryFilters().SingleAsync(c => c.Email == "ada@example.org"));
        Assert.Equal(await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => c.ExternalId == "A-1").Select(c => c.Id).SingleAsync()), ada.CustomerId);
        var grace = await app.QueryAsync(d => d.Set<Aida.Features.Leads.Lead>().IgnoreQueryFilters().SingleAsync(l => l.Email == "grace@example.org"));
        Assert.Null(grace.AssignedTo);
        Assert.Null(grace.CreatedBy);
        Assert.NotNull(grace.RoutingReason);
    }
}
