using System.Net;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform;

/// <summary>PATCH requests the API refuses after reading the record: invalid (400), conflicting (409), stale (412).</summary>
public static class RejectedChanges
{
    public static TheoryData<DatabaseKind, string> Cases => DatabaseCases.Cross("400", "409", "412");

    /// <summary>Sends the refused change to a customer at version 1 and asserts it was refused.</summary>
    public static async Task SendAsync(AidaApp app, Guid customerId, string rejection)
    {
        var url = $"/api/v1/customers/{customerId}";
        var (response, status) = rejection switch
        {
            "400" => (await app.Client.PatchJsonAsync(url, new { status = "active", displayName = " " }), HttpStatusCode.BadRequest),
            "409" => (await app.Client.PatchJsonAsync(url, new { status = "active", parentId = customerId }), HttpStatusCode.Conflict),
            "412" => (await app.Client.PatchJsonAsync(url, new { status = "active" }, "\"7\""), HttpStatusCode.PreconditionFailed),
            _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, "Not a known rejection."),
        };
        await response.ExpectProblemAsync(status);
    }
}
