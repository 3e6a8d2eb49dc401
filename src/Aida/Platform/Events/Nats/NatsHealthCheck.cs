using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Nats;

/// <summary>
/// The NATS publisher's lag on <c>/health/ready</c>. NATS down or far behind is "degraded", never
/// "unhealthy": the CRM still serves its users and every event waits safely in the outbox until NATS takes
/// it, whereas a failing readiness probe would take every node out of the load balancer at once (they
/// share one NATS) and turn a late event stream into an outage. The data carries the lag for monitoring;
/// the reason is on the admin screen (health is public, so it says no more than "failing").
/// </summary>
public sealed class NatsHealthCheck(IServiceScopeFactory scopes, IOptions<NatsOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        NatsPublisherStatus status;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
            status = await NatsPublisherStatus.ReadAsync(scope.ServiceProvider.GetRequiredService<AidaDb>(), settings, clock, null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database check reports the database; this one cannot say more without it.
            return HealthCheckResult.Degraded("NATS publisher lag unknown: the outbox could not be read.");
        }

        var data = new Dictionary<string, object>
        {
            ["pending"] = status.Pending,
            ["pendingCapped"] = status.PendingCapped,
            ["oldestPendingSeconds"] = status.OldestPendingSeconds ?? 0,
            ["published"] = status.PublishedCount,
            ["failing"] = status.Error is not null,
        };
        var lag = status.Pending == 0
            ? "no events waiting"
            : $"{status.Pending}{(status.PendingCapped ? "+" : "")} event(s) waiting, the oldest {status.OldestPendingSeconds:0.#} s";
        if (status.Error is not null)
        {
            return HealthCheckResult.Degraded($"Publishing to NATS is failing and retried; {lag}.", data: data);
        }

        return status.Lagging(settings)
            ? HealthCheckResult.Degraded($"Publishing to NATS lags; {lag}.", data: data)
            : HealthCheckResult.Healthy($"Publishing to NATS; {lag}.", data);
    }
}
