using System.Net;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;
using Aida.Platform.Auth;
using Aida.Platform.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Infrastructure;

/// <summary>The duplicate review queue as the tests read it: every cluster of a type and status, and the pairs in them.</summary>
public static class DuplicateQueue
{
    public const string Url = "/api/v1/duplicates";

    /// <summary>A person with a billing address in Germany, as the duplicate tests plant them.</summary>
    public static CreateCustomer.Request Person(string first, string last, string street, string postalCode, string city, Guid? ownerId = null) => new(
        CustomerType.Individual, $"{first} {last}", null, null, null, ownerId, null,
        new ContactFields(first, last, null, null, null, null, null, null, null),
        null,
        [new AddressFields(AddressType.Billing, null, street, null, city, null, postalCode, "DE", null, null)]);

    /// <summary>Stores a customer as an import or bulk insert would: no duplicate check, no queue entry.</summary>
    public static async Task<Guid> InsertDirectAsync(AidaApp app, CreateCustomer.Request request) =>
        await app.QueryAsync(async d =>
        {
            var errors = new ValidationErrors();
            var created = CreateCustomer.Build(request, User.SystemId, errors) ?? throw new InvalidOperationException(string.Join("; ", errors.ToDictionary().Keys));
            created.AddTo(d);
            await d.SaveChangesAsync();
            return created.Customer.Id;
        });

    /// <summary>Runs the scan's pending passes (its worker is off in tests).</summary>
    public static Task<DuplicateScanSummary> ScanAsync(AidaApp app) => app.Services.GetRequiredService<DuplicateScan>().RunAsync(CancellationToken.None);

    /// <summary>Every cluster of the queue (all pages) of records of <paramref name="type"/> in <paramref name="status"/>.</summary>
    public static async Task<List<JsonElement>> ClustersAsync(HttpClient client, string type, string status = "open")
    {
        var clusters = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"{Url}?type={type}&status={status}&limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))
                .ExpectAsync(HttpStatusCode.OK);
            clusters.AddRange(page.Items());
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.Str("nextCursor");
        }
        while (cursor is not null);
        return clusters;
    }

    /// <summary>The pair of <paramref name="a"/> and <paramref name="b"/> in these clusters, whichever way round it is stored.</summary>
    public static JsonElement? PairOf(List<JsonElement> clusters, Guid a, Guid b) =>
        clusters.SelectMany(c => c.GetProperty("pairs").EnumerateArray())
            .Select(p => (JsonElement?)p)
            .FirstOrDefault(p => new[] { p!.Value.GetProperty("firstId").GetGuid(), p.Value.GetProperty("secondId").GetGuid() }.Order().SequenceEqual(new[] { a, b }.Order()));

    /// <summary>Whether any cluster lists the record.</summary>
    public static bool Lists(List<JsonElement> clusters, Guid id) =>
        clusters.Any(c => c.GetProperty("members").EnumerateArray().Any(m => m.Id() == id));
}
