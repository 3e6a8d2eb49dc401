using Microsoft.AspNetCore.Components;

namespace Aida.Platform.Auth;

/// <summary>
/// A section a feature adds to the signed-in user's profile page (/account/profile), after the page's own: the
/// notification preferences, for one. Platform knows no feature; features register theirs as singletons.
/// </summary>
public interface IProfileSection
{
    /// <summary>Where it stands among the added sections, lowest first.</summary>
    int Order { get; }

    /// <summary>Reads what the section shows for the signed-in user and returns its content.</summary>
    Task<RenderFragment> RenderAsync(HttpContext http, AidaDb db, CancellationToken cancellationToken);
}
