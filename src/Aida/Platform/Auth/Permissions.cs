using System.Collections.Frozen;

namespace Aida.Platform.Auth;

public enum Role
{
    Admin,
    Manager,
    Rep,
    Marketing,
    Support,
    Viewer,
}

/// <summary>
/// The permission set of spec 004 (<c>CRMPermissions</c>: leads, customers, analytics) plus
/// <c>customers.delete</c> and <c>admin.settings</c>, and which role holds which. The README's
/// permission matrix is this table.
/// </summary>
public static class Permissions
{
    public const string LeadsView = "leads.view";
    public const string LeadsCreate = "leads.create";
    public const string LeadsEdit = "leads.edit";
    public const string LeadsDelete = "leads.delete";
    public const string LeadsAssign = "leads.assign";
    public const string CustomersViewAll = "customers.viewAll";
    public const string CustomersViewOwn = "customers.viewOwn";
    public const string CustomersEditProfile = "customers.editProfile";
    public const string CustomersViewSensitive = "customers.viewSensitive";
    public const string CustomersDelete = "customers.delete";
    public const string AnalyticsViewReports = "analytics.viewReports";
    public const string AnalyticsExportData = "analytics.exportData";
    public const string AnalyticsConfigureDashboards = "analytics.configureDashboards";
    public const string AdminSettings = "admin.settings";

    /// <summary>Approve or reject lifecycle moves whose transition rule requires approval (WF-LC-001 step 3).</summary>
    public const string LifecycleApprove = "lifecycle.approve";

    /// <summary>Create, change, recalculate and delete segments, and add or remove static members (WF-LC-003's actors: marketing and sales managers).</summary>
    public const string SegmentsManage = "segments.manage";

    /// <summary>Review likely duplicates (issue 17): the queue's clusters, dismiss, defer, reopen; merging needs customers.editProfile too.</summary>
    public const string CustomersReviewDuplicates = "customers.reviewDuplicates";

    public static IReadOnlyList<string> All { get; } =
    [
        LeadsView, LeadsCreate, LeadsEdit, LeadsDelete, LeadsAssign,
        CustomersViewAll, CustomersViewOwn, CustomersEditProfile, CustomersViewSensitive, CustomersDelete,
        AnalyticsViewReports, AnalyticsExportData, AnalyticsConfigureDashboards, AdminSettings, LifecycleApprove, SegmentsManage, CustomersReviewDuplicates,
    ];

    private static readonly FrozenDictionary<Role, FrozenSet<string>> ByRole = new Dictionary<Role, FrozenSet<string>>
    {
        [Role.Admin] = All.ToFrozenSet(),
        [Role.Manager] = new[]
        {
            LeadsView, LeadsCreate, LeadsEdit, LeadsDelete, LeadsAssign,
            CustomersViewOwn, CustomersEditProfile, CustomersViewSensitive, CustomersDelete,
            AnalyticsViewReports, AnalyticsExportData, AnalyticsConfigureDashboards, LifecycleApprove, SegmentsManage, CustomersReviewDuplicates,
        }.ToFrozenSet(),
        [Role.Rep] = new[] { LeadsView, LeadsCreate, LeadsEdit, CustomersViewOwn, CustomersEditProfile }.ToFrozenSet(),
        [Role.Marketing] = new[]
        {
            LeadsView, LeadsCreate, LeadsEdit, CustomersViewAll, CustomersViewOwn,
            AnalyticsViewReports, AnalyticsExportData, AnalyticsConfigureDashboards, SegmentsManage,
        }.ToFrozenSet(),
        [Role.Support] = new[] { LeadsView, CustomersViewAll, CustomersViewOwn, CustomersEditProfile }.ToFrozenSet(),
        [Role.Viewer] = new[] { LeadsView, CustomersViewAll, CustomersViewOwn, AnalyticsViewReports }.ToFrozenSet(),
    }.ToFrozenDictionary();

    public static IReadOnlySet<string> Of(Role role) => ByRole[role];

    public static bool Has(Role role, string permission) => ByRole[role].Contains(permission);
}
