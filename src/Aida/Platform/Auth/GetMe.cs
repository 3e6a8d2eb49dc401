namespace Aida.Platform.Auth;

/// <summary>The signed-in user, their permissions and whether they see all customers.</summary>
public static class GetMe
{
    public static async Task<Results<Ok<UserEndpoints.MeResponse>, ProblemHttpResult>> Handle(AidaDb db, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        return user is null
            ? Problems.NotFound("user")
            : TypedResults.Ok(new UserEndpoints.MeResponse(user.ToResponse(), db.Operation.Access.Permissions.Order(StringComparer.Ordinal).ToList(), db.Operation.Access.AllCustomers));
    }
}
