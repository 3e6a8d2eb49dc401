using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

// The same-run limit for Aida's benchmarks (bench/run.sh, bench/leads.sh): the database work of a create
// with nothing else — one INSERT of a customers (or leads) row of the same shape plus one outbox row, in
// one transaction per request — and, for reads, a constant JSON document. Runs against a copy of the benchmark database,
// so the table has the same size and indexes Aida writes into.
//
//   Limit --sqlite <file> | --postgres <connection string>   [--urls http://127.0.0.1:5099]
var sqlitePath = Arg("--sqlite");
var postgres = Arg("--postgres");
var urls = Arg("--urls") ?? "http://127.0.0.1:5099";
if (sqlitePath is null == postgres is null)
{
    await Console.Error.WriteLineAsync("usage: Limit --sqlite <file> | --postgres <connection string> [--urls …]");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(urls);
var app = builder.Build();

var system = "00000000-0000-7000-8000-000000000001";
var constant = """{"id":"01a200c0-aa49-7436-881f-470254ad4e23","type":"individual","displayName":"Ada Lovelace","status":"active"}""";
app.MapGet("/limit/constant", () => Results.Content(constant, "application/json"));

if (sqlitePath is not null)
{
    // Like Aida on SQLite: writers queue in-process for the single write lock, on connections opened
    // and configured once (same pragmas, memory-mapped reads) and reused.
    var gate = new SemaphoreSlim(1, 1);
    var idle = new System.Collections.Concurrent.ConcurrentBag<SqliteConnection>();
    var connectionString = new SqliteConnectionStringBuilder { DataSource = sqlitePath, Pooling = false }.ConnectionString;
    async Task<IResult> OnSqliteAsync(Func<DbConnection, DbTransaction, Func<Guid, object>, Func<DateTime, object>, Task> insert)
    {
        if (!idle.TryTake(out var connection))
        {
            connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await ExecuteAsync(connection, null, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA mmap_size=268435456;");
        }

        await gate.WaitAsync();
        try
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await insert(connection, transaction, id => id.ToString(), t => (t - DateTime.UnixEpoch).Ticks / 10);
            await transaction.CommitAsync();
        }
        finally
        {
            gate.Release();
            idle.Add(connection);
        }

        return Results.Created();
    }

    app.MapPost("/limit/customers", () => OnSqliteAsync(InsertAsync));
    app.MapPost("/limit/leads", () => OnSqliteAsync(InsertLeadAsync));
}
else
{
    var dataSource = NpgsqlDataSource.Create(postgres!);
    async Task<IResult> OnPostgresAsync(Func<DbConnection, DbTransaction, Func<Guid, object>, Func<DateTime, object>, Task> insert)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await insert(connection, transaction, id => id, t => t);
        await transaction.CommitAsync();
        return Results.Created();
    }

    app.MapPost("/limit/customers", () => OnPostgresAsync(InsertAsync));
    app.MapPost("/limit/leads", () => OnPostgresAsync(InsertLeadAsync));
}

await app.RunAsync();
return 0;

async Task InsertAsync(DbConnection connection, DbTransaction transaction, Func<Guid, object> id, Func<DateTime, object> time)
{
    var customerId = Guid.CreateVersion7();
    var now = DateTime.UtcNow;
    var n = Random.Shared.Next();
    var name = string.Create(CultureInfo.InvariantCulture, $"Limit Customer {n}");
    await using (var customer = connection.CreateCommand())
    {
        customer.Transaction = transaction;
        customer.CommandText = """
            INSERT INTO customers (id, type, display_name, status, source, owner_id, created_by, created_at, updated_at, version, search_name, name_key, name_phonetic)
            VALUES (@id, 'individual', @name, 'prospect', 'api', @actor, @actor, @now, @now, 1, @search, @key, @phonetic)
            """;
        Add(customer, "id", id(customerId));
        Add(customer, "name", name);
        Add(customer, "actor", id(Guid.Parse(system)));
        Add(customer, "now", time(now));
        Add(customer, "search", name.ToLowerInvariant());
        Add(customer, "key", string.Create(CultureInfo.InvariantCulture, $"{n} customer limit"));
        Add(customer, "phonetic", string.Create(CultureInfo.InvariantCulture, $"{n} C256 L530"));
        await customer.ExecuteNonQueryAsync();
    }

    await using var outbox = connection.CreateCommand();
    outbox.Transaction = transaction;
    outbox.CommandText = connection is NpgsqlConnection
        ? "INSERT INTO events (id, type, subject, occurred_at, actor_id, data) VALUES (@id, 'customer.created', @subject, @now, @actor, @data::jsonb)"
        : "INSERT INTO events (id, type, subject, occurred_at, actor_id, data) VALUES (@id, 'customer.created', @subject, @now, @actor, @data)";
    Add(outbox, "id", id(Guid.CreateVersion7()));
    Add(outbox, "subject", $"customers/{customerId}");
    Add(outbox, "now", time(now));
    Add(outbox, "actor", id(Guid.Parse(system)));
    Add(outbox, "data", "{\"customer\":{\"id\":\"" + customerId + "\",\"displayName\":\"" + name + "\"}}");
    await outbox.ExecuteNonQueryAsync();
}

// A leads row as a web-form capture writes it (contact fields, source, UTM, the dedupe keys) and its event.
async Task InsertLeadAsync(DbConnection connection, DbTransaction transaction, Func<Guid, object> id, Func<DateTime, object> time)
{
    var leadId = Guid.CreateVersion7();
    var now = DateTime.UtcNow;
    var n = Random.Shared.Next();
    var email = string.Create(CultureInfo.InvariantCulture, $"limit{n}@limit.example");
    var factors = connection is NpgsqlConnection ? "'[]'::jsonb" : "'[]'";
    await using (var lead = connection.CreateCommand())
    {
        lead.Transaction = transaction;
        lead.CommandText =
            "INSERT INTO leads (id, first_name, last_name, email, email_normalized, source_type, source_detail, utm_source, utm_medium, utm_campaign, " +
            "authority, need, timeline, urgency, score, score_factors, qualification_status, status, follow_up_count, capture_count, last_captured_at, created_at, updated_at, version) " +
            "VALUES (@id, 'Limit', @last, @email, @email, 'website', 'Contact us', 'google', 'cpc', 'spring', 'unknown', 'unknown', 'unknown', 'medium', 0, " + factors + ", " +
            "'unqualified', 'active', 0, 1, @now, @now, @now, 1)";
        Add(lead, "id", id(leadId));
        Add(lead, "last", string.Create(CultureInfo.InvariantCulture, $"Lead {n}"));
        Add(lead, "email", email);
        Add(lead, "now", time(now));
        await lead.ExecuteNonQueryAsync();
    }

    await using var outbox = connection.CreateCommand();
    outbox.Transaction = transaction;
    outbox.CommandText = connection is NpgsqlConnection
        ? "INSERT INTO events (id, type, subject, occurred_at, actor_id, data) VALUES (@id, 'lead.captured', @subject, @now, @actor, @data::jsonb)"
        : "INSERT INTO events (id, type, subject, occurred_at, actor_id, data) VALUES (@id, 'lead.captured', @subject, @now, @actor, @data)";
    Add(outbox, "id", id(Guid.CreateVersion7()));
    Add(outbox, "subject", $"leads/{leadId}");
    Add(outbox, "now", time(now));
    Add(outbox, "actor", id(Guid.Parse(system)));
    Add(outbox, "data", "{\"lead\":{\"id\":\"" + leadId + "\",\"email\":\"" + email + "\"}}");
    await outbox.ExecuteNonQueryAsync();
}

static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql)
{
    await using var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = sql;
    await command.ExecuteNonQueryAsync();
}

static void Add(DbCommand command, string name, object value)
{
    var parameter = command.CreateParameter();
    parameter.ParameterName = name;
    parameter.Value = value;
    command.Parameters.Add(parameter);
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
