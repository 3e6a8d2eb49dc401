using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Auth;

/// <summary>
/// Requires a permission of the actor's role (<see cref="Permissions"/>). A request that changes
/// something also requires a token that may write: read-scoped tokens are for reading.
/// </summary>
public sealed class PermissionRequirement(string permission) : IAuthorizationRequirement, IAuthorizationHandler
{
    public const string PolicyPrefix = "permission:";

    /// <summary>The same permission for a web page: the session cookie instead of an API token.</summary>
    public const string PagePolicyPrefix = "page-permission:";

    /// <summary>Why authorization failed, for the 403 problem's detail.</summary>
    public const string DeniedReason = "Aida.DeniedReason";

    public string Permission { get; } = permission;

    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        var operation = http.RequestServices.GetRequiredService<OperationContext>();
        if (!operation.IsAuthenticated)
        {
            return Task.CompletedTask;
        }

        var writes = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (!operation.Access.Can(Permission))
        {
            http.Items[DeniedReason] = $"Your role ({Data.EnumText<Role>.ToText(operation.Access.Role)}) lacks the {Permission} permission.";
        }
        else if (writes && operation.Access.ReadOnlyToken)
        {
            http.Items[DeniedReason] = "This API token is read-only; use a token with the write scope.";
        }
        else
        {
            context.Succeed(this);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Builds the "permission:x" policies on demand: API token authentication plus the permission.</summary>
public sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName.StartsWith(PermissionRequirement.PagePolicyPrefix, StringComparison.Ordinal))
        {
            return new AuthorizationPolicyBuilder(CookieSessions.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new PermissionRequirement(policyName[PermissionRequirement.PagePolicyPrefix.Length..]))
                .Build();
        }

        if (!policyName.StartsWith(PermissionRequirement.PolicyPrefix, StringComparison.Ordinal))
        {
            return await base.GetPolicyAsync(policyName);
        }

        return new AuthorizationPolicyBuilder(ApiTokenAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(new PermissionRequirement(policyName[PermissionRequirement.PolicyPrefix.Length..]))
            .Build();
    }
}

public static class PermissionEndpoints
{
    /// <summary>The endpoint (or group) needs an API token whose user's role holds <paramref name="permission"/>.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PermissionRequirement.PolicyPrefix + permission);

    /// <summary>The page (or group of pages) needs a signed-in user whose role holds <paramref name="permission"/>.</summary>
    public static TBuilder RequirePagePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PermissionRequirement.PagePolicyPrefix + permission);
}
