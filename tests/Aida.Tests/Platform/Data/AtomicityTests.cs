using System.Net;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Platform.Data;

/// <summary>A change that fails part-way leaves nothing behind: not the record, its children, its audit entries or its events.</summary>
public sealed class AtomicityTests
{
    /// <summary>The injected fault is expected; its error logs would only bury real failures.</summary>
    internal static readonly Dictionary<string, string?> QuietFaults = new()
    {
        ["Logging:LogLevel:Aida.Platform.Http.ExceptionProblemHandler"] = "None",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None",
    };

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_FailureWhileWritingAddresses_Returns500AndStoresNothing(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, QuietFaults);
        await InjectFaultOnAddressInsertAsync(app);

        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "organization",
            displayName = "Half Written Ltd",
            primaryContact = new { firstName = "Hal", lastName = "Fwritten" },
            account = new { legalName = "Half Written Limited" },
            addresses = new[] { new { addressType = "billing", streetLine1 = "1 Broken Rd", city = "Faultline", country = "GB" } },
        })).ExpectProblemAsync(HttpStatusCode.InternalServerError);

        Assert.Equal("urn:aida:problem:internal", problem.Str("type"));
        Assert.Equal(Stored.Nothing, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_WithoutAddresses_SucceedsDespiteTheInjectedFault(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, QuietFaults);
        await InjectFaultOnAddressInsertAsync(app);

        // Proves the fault hits only address inserts, so the test above fails for the reason it claims.
        await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Whole", lastName = "Written" });

        Assert.Equal(new Stored(1, 1, 0, 2, 2), await Stored.CountAsync(app));
    }

    internal static Task<int> InjectFaultOnAddressInsertAsync(AidaApp app) => app.QueryAsync(d => d.Database.ExecuteSqlRawAsync(
        app.Kind == DatabaseKind.Sqlite
            ? "CREATE TRIGGER test_fail_address BEFORE INSERT ON addresses BEGIN SELECT RAISE(ABORT, 'injected'); END;"
            : """
              CREATE FUNCTION test_fail_address() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                  RAISE EXCEPTION 'injected';
              END
              $$;
              CREATE TRIGGER test_fail_address BEFORE INSERT ON addresses FOR EACH ROW EXECUTE FUNCTION test_fail_address();
              """));
}
