namespace Aida.Platform.Auth;

public static class ListUsers
{
    public static async Task<Ok<List<UserResponse>>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Set<User>().AsNoTracking().Where(u => u.Id != User.SystemId).OrderBy(u => u.Email).ToListAsync(cancellationToken))
            .Select(u => u.ToResponse()).ToList());
}
