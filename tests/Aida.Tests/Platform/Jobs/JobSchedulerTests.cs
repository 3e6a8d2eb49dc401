using System.Collections.Concurrent;
using System.Net;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Jobs;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Platform.Jobs;

/// <summary>
/// The one scheduler (issue 19 item 6): jobs run by themselves and on "run now", their runs are recorded for the
/// jobs screen, a lease held by a live node keeps others off, a lapsed one (its node died) is taken over, and
/// with two nodes on one database a job never runs on both at once.
/// </summary>
public sealed class JobSchedulerTests
{
    private static readonly Dictionary<string, string?> FastPolling = new()
    {
        ["Jobs:PollInterval"] = "00:00:00.050",
    };

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AJob_RunsAtStart_AndAgainOnRunNow_AndTheJobsListShowsItsRuns(DatabaseKind db)
    {
        var job = new ProbeJob("probe.counting");
        await using var app = await AidaApp.StartAsync(db, FastPolling, services: s => s.AddSingleton<IScheduledJob>(job));

        await Wait.UntilAsync(() => job.Runs >= 1, "the new job's first run at start");
        var listed = await WaitForAsync(app, job.Name, j => j.GetProperty("runs").GetInt64() == 1 && j.GetProperty("lastFinishedAt").ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal("A job the tests drive.", listed.Str("description"));
        Assert.True(listed.GetProperty("lastSucceeded").GetBoolean());
        Assert.Equal(1, listed.GetProperty("lastItems").GetInt32());
        Assert.Null(listed.GetProperty("lastError").GetString());
        Assert.True(listed.GetProperty("nextRunAt").GetDateTime() > DateTime.UtcNow.AddMinutes(50), "the next run is an interval (an hour) away");

        var accepted = await (await app.Client.PostAsync($"/api/v1/admin/jobs/{job.Name}/run", null)).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(job.Name, accepted.Str("name"));
        await Wait.UntilAsync(() => job.Runs >= 2, "the run asked for");
        await WaitForAsync(app, job.Name, j => j.GetProperty("runs").GetInt64() == 2 && !j.GetProperty("runRequested").GetBoolean());
        Assert.Equal(2, job.Runs);

        var builtIn = (await (await app.Client.GetAsync("/api/v1/admin/jobs")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().Select(j => j.Str("name")).ToList();
        Assert.Contains("activities.reminders", builtIn);
        Assert.Contains("idempotency.cleanup", builtIn);
        await (await app.Client.PostAsync("/api/v1/admin/jobs/no.such.job/run", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheJobsApi_IsForAdministratorsOnly(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var (_, manager) = await app.UserAsync(Role.Manager);

        await (await manager.GetAsync("/api/v1/admin/jobs")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostAsync("/api/v1/admin/jobs/activities.reminders/run", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await app.Anonymous.GetAsync("/api/v1/admin/jobs")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AFailingRun_IsRecordedWithItsError_AndTheNextSuccessClearsTheStreak(DatabaseKind db)
    {
        var job = new ProbeJob("probe.failing") { Failure = "the receiver said no" };
        await using var app = await AidaApp.StartAsync(db, FastPolling, services: s => s.AddSingleton<IScheduledJob>(job));

        var failed = await WaitForAsync(app, job.Name, j => j.GetProperty("consecutiveFailures").GetInt32() == 1);
        Assert.False(failed.GetProperty("lastSucceeded").GetBoolean());
        Assert.Equal("InvalidOperationException: the receiver said no", failed.Str("lastError"));
        Assert.Equal(1, failed.GetProperty("failures").GetInt64());

        job.Failure = null;
        await (await app.Client.PostAsync($"/api/v1/admin/jobs/{job.Name}/run", null)).ExpectAsync(HttpStatusCode.Accepted);
        var recovered = await WaitForAsync(app, job.Name, j => j.GetProperty("runs").GetInt64() == 2);
        Assert.True(recovered.GetProperty("lastSucceeded").GetBoolean());
        Assert.Equal(0, recovered.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(1, recovered.GetProperty("failures").GetInt64());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ALeaseHeldByALiveNode_KeepsTheJobOff_AndALapsedLease_IsTakenOver(DatabaseKind db)
    {
        var job = new ProbeJob("probe.takeover");
        await using var app = await AidaApp.StartAsync(db, FastPolling, services: s => s.AddSingleton<IScheduledJob>(job));
        await Wait.UntilAsync(() => job.Runs >= 1, "the first run");

        // Another node holds the lease, renewing it; the job is due and asked for, and still does not run here.
        await SetLeaseAsync(app, job.Name, "other-node", TimeSpan.FromMinutes(5));
        await (await app.Client.PostAsync($"/api/v1/admin/jobs/{job.Name}/run", null)).ExpectAsync(HttpStatusCode.Accepted);
        var held = await WaitForAsync(app, job.Name, j => j.GetProperty("running").GetBoolean());
        Assert.Equal("other-node", held.Str("runningOn"));
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // Ten polls: any of them would have run it.
        Assert.Equal(1, job.Runs);

        // That node died: its lease lapses and this node takes the job over, the request still standing.
        await SetLeaseAsync(app, job.Name, "other-node", TimeSpan.FromSeconds(-1));
        await Wait.UntilAsync(() => job.Runs >= 2, "the lapsed lease taken over");
        var taken = await WaitForAsync(app, job.Name, j => j.GetProperty("runs").GetInt64() == 2);
        Assert.NotEqual("other-node", taken.Str("lastNode"));
        Assert.False(taken.GetProperty("running").GetBoolean());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TwoNodesOnOneDatabase_NeverRunAJobAtTheSameTime_AndBothTakeTurns(DatabaseKind db)
    {
        // One record of every run, whichever node ran it; a run takes 30 ms and another is due right after it.
        var log = new RunLog();
        var first = new ProbeJob("probe.exclusive") { Log = log, Node = "first", Length = TimeSpan.FromMilliseconds(30), Every = TimeSpan.Zero };
        var second = new ProbeJob("probe.exclusive") { Log = log, Node = "second", Length = TimeSpan.FromMilliseconds(30), Every = TimeSpan.Zero };
        await using var one = await AidaApp.StartAsync(db, FastPolling, services: s => s.AddSingleton<IScheduledJob>(first));
        await using var two = await AidaApp.StartAsync(one.Database, FastPolling, services: s => s.AddSingleton<IScheduledJob>(second), ownsDatabase: false);

        await Wait.UntilAsync(() => log.Runs.Count >= 40 && log.Runs.Any(r => r.Node == "first") && log.Runs.Any(r => r.Node == "second"),
            "forty runs, some on each node");

        var runs = log.Runs.OrderBy(r => r.Start).ToList();
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].Start >= runs[i - 1].End,
                $"run {i} on {runs[i].Node} started at {runs[i].Start:O} before run {i - 1} on {runs[i - 1].Node} ended at {runs[i - 1].End:O}");
        }

        Assert.Equal(0, log.Overlaps);
    }

    private static async Task SetLeaseAsync(AidaApp app, string name, string owner, TimeSpan expiresIn)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var until = DateTime.UtcNow + expiresIn;
        await db.Set<JobRecord>().Where(j => j.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, owner).SetProperty(j => j.LeaseExpiresAt, until));
    }

    private static async Task<System.Text.Json.JsonElement> WaitForAsync(AidaApp app, string name, Func<System.Text.Json.JsonElement, bool> done)
    {
        var job = await Wait.ForAsync(async () =>
        {
            var list = await (await app.Client.GetAsync("/api/v1/admin/jobs")).ExpectAsync(HttpStatusCode.OK);
            return list.EnumerateArray().Single(j => j.Str("name") == name);
        }, done);
        Assert.True(done(job), $"job {name} as listed: {job}");
        return job;
    }

    private sealed class RunLog
    {
        private int _inside;

        public ConcurrentBag<(string Node, DateTime Start, DateTime End)> Runs { get; } = [];

        public int Overlaps { get; private set; }

        public void Enter()
        {
            if (Interlocked.Increment(ref _inside) > 1)
            {
                Overlaps++;
            }
        }

        public void Leave() => Interlocked.Decrement(ref _inside);
    }

    /// <summary>A job the tests drive: counts its runs, fails while <see cref="Failure"/> is set, and logs each run for the two-node test.</summary>
    private sealed class ProbeJob(string name) : IScheduledJob
    {
        private int _runs;

        public string Name => name;

        public string Description => "A job the tests drive.";

        public TimeSpan Interval => Every;

        public TimeSpan Every { get; init; } = TimeSpan.FromHours(1);

        public TimeSpan Length { get; init; } = TimeSpan.Zero;

        public RunLog? Log { get; init; }

        public string Node { get; init; } = "";

        public string? Failure { get; set; }

        public int Runs => Volatile.Read(ref _runs);

        public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
        {
            Log?.Enter();
            var start = DateTime.UtcNow;
            try
            {
                await Task.Delay(Length, cancellationToken);
                if (Failure is { } message)
                {
                    throw new InvalidOperationException(message);
                }

                return new JobOutcome(1);
            }
            finally
            {
                Log?.Runs.Add((Node, start, DateTime.UtcNow));
                Log?.Leave();
                Interlocked.Increment(ref _runs);
            }
        }
    }
}
