using Microsoft.AspNetCore.Components;

namespace Aida.Features.Customers.Pages;

/// <summary>What a contributed tab is given: the request (its query string carries the tab's own filters), the customer, and the users the page has already read.</summary>
public sealed record CustomerTabRequest(HttpContext Http, AidaDb Db, Guid CustomerId, UserDirectory Users);

/// <summary>
/// A tab of the customer page that another feature contributes (Interactions: the timeline), so Customers
/// names none of its types. The feature registers it (<c>services.AddSingleton&lt;ICustomerTab, …&gt;()</c>);
/// the page lists every registered tab and, when one is open, renders its content inside the page on the
/// server, so <c>/customers/{id}?tab={Key}</c> works without scripts.
/// </summary>
public interface ICustomerTab
{
    /// <summary>The tab's address: <c>?tab={Key}</c>.</summary>
    string Key { get; }

    string Label { get; }

    /// <summary>Where it stands among the page's own tabs (<see cref="CustomerDetailPages.OwnTabs"/>: overview 100, contacts 300, …).</summary>
    int Order { get; }

    /// <summary>Reads what the tab shows and returns its content, which the page renders in its tab panel.</summary>
    Task<RenderFragment> RenderAsync(CustomerTabRequest request, CancellationToken cancellationToken);
}
