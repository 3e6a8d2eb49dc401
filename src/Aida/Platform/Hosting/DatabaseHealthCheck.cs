using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aida.Platform.Hosting;

/// <summary>Ready means the database answers and its schema is the one this build expects.</summary>
public sealed class DatabaseHealthCheck(MigrationRunner migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await migrations.GetStatusAsync(cancellationToken);
            return status.IsCurrent
                ? HealthCheckResult.Healthy("Database reachable; migrations current.")
                : HealthCheckResult.Unhealthy($"{status.Pending.Count} migration(s) pending; run 'aida migrate'.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Reported, not thrown: an unreachable database is exactly what readiness exists to say.
            return HealthCheckResult.Unhealthy("Database unreachable or schema invalid.", e);
        }
    }
}
