using System.Net;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Tests.Infrastructure;
using Aida.Tests.Platform.Events.Nats;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aida.Tests.Platform.Events;

/// <summary>
/// Runs alone: the open transaction it holds is server-wide in PostgreSQL's eyes and would hold back
/// the feed of every other test running at the same time.
/// </summary>
[CollectionDefinition(nameof(PostgresFeedOrderTests), DisableParallelization = true)]
public sealed class PostgresFeedOrderCollection;

/// <summary>
/// PostgreSQL only: sequence numbers are taken before commit, so a transaction that started later can
/// commit a higher number first. A poller that had already been served that number would skip the
/// earlier transaction's event when it commits. SQLite commits one writer at a time, so it has no such case.
/// </summary>
[Collection(nameof(PostgresFeedOrderTests))]
public sealed class PostgresFeedOrderTests
{
    [Fact]
    public async Task Feed_Postgres_HoldsBackLaterCommitsUntilAnEarlierOpenTransactionEnds()
    {
        await using var app = await AidaApp.StartAsync(DatabaseKind.Postgres);
        var (_, start) = await Feed.ReadAsync(app);
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var earlier = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO events (id, type, subject, occurred_at, actor_id, request_id, data)
            VALUES (@id, 'test.earlier', 'tests/earlier', now(), @actor, NULL, '{}'::jsonb)
            """, connection, earlier))
        {
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("actor", User.SystemId);
            await insert.ExecuteNonQueryAsync();
        }

        // Starts after the open transaction, takes a later sequence number, and commits first.
        var customer = await app.Client.CreateOrganizationAsync();

        var (whileOpen, cursorWhileOpen) = await Feed.ReadAsync(app, start);
        Assert.Empty(whileOpen);
        Assert.Equal(start, cursorWhileOpen);

        await earlier.CommitAsync();

        var (items, _) = await Feed.WaitForAsync(app, 2, start);
        Assert.Equal(["test.earlier", "customer.created"], items.Types());
        Assert.Equal($"customers/{customer.Id()}", items[1].Str("subject"));
    }

    [Fact]
    public async Task APublisherWokenByACommitTheFeedHoldsBack_LooksAgainSoon_NotAfterItsInterval()
    {
        await using var nats = await NatsServer.StartAsync();
        // The publisher's own interval is an hour: only the commit's wake-up and the scheduler's quick retry can publish in time.
        await using var app = await AidaApp.StartAsync(DatabaseKind.Postgres, new Dictionary<string, string?>
        {
            ["Events:Nats:Url"] = nats.Url,
            ["Events:Nats:Interval"] = "01:00:00",
        });
        await Wait.UntilAsync(async () => await PendingAsync(app) == 0, "the start-up run to publish the set-up events");
        await using var connection = new NpgsqlConnection(app.Services.GetRequiredService<DatabaseSettings>().ConnectionString);
        await connection.OpenAsync();
        await using var earlier = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("SELECT pg_current_xact_id()", connection, earlier))
        {
            await insert.ExecuteScalarAsync(); // Takes a transaction id, older than the API's commit below.
        }

        // Committed, so it wakes the publisher, but the feed does not serve it while the older transaction runs.
        await app.Client.CreateOrganizationAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.True(await PendingAsync(app) >= 1, "the customer's events wait behind the older transaction");

        await earlier.CommitAsync();
        await Wait.UntilAsync(async () => await PendingAsync(app) == 0, "the held-back event published once the older transaction ended",
            TimeSpan.FromSeconds(20));
        var stream = await JetStreamContents.ReadAsync(nats.Url);
        Assert.Contains(stream, m => m.Subject == "aida.customer.created");
    }

    private static async Task<int> PendingAsync(AidaApp app) =>
        (await (await app.Client.GetAsync("/api/v1/admin/events/nats")).ExpectAsync(HttpStatusCode.OK)).GetProperty("pending").GetInt32();
}
