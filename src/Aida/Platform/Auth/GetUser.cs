namespace Aida.Platform.Auth;

public static class GetUser
{
    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.Id != User.SystemId, cancellationToken) is { } user
            ? TypedResults.Ok(user.ToResponse())
            : Problems.NotFound("user");
}
