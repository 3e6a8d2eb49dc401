namespace Aida.Features.Deals;

/// <summary>Settings of the Deals section (appsettings "Deals").</summary>
public sealed class DealOptions
{
    /// <summary>An open deal with no change, move or logged interaction for this many days is stale.</summary>
    public int StaleAfterDays { get; set; } = 14;
}
