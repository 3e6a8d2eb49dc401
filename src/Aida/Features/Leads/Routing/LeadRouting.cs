using Aida.Platform.Data;

namespace Aida.Features.Leads.Routing;

/// <summary>Assigns a new lead by the routing rules. (Issue 7 slice "routing" replaces this first version, which has no rules yet.)</summary>
public static class LeadRouting
{
    public static Task RouteAsync(AidaDb db, Lead lead, CancellationToken cancellationToken) => Task.CompletedTask;
}
