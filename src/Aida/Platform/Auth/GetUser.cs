namespace Aida.Platform.Auth;

/// <summary>One user, with the ETag a careful client sends back as If-Match when it changes them.</summary>
public static class GetUser
{
    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await db.Set<User>().AsNoTracking().Where(u => u.Id == id && u.Id != User.SystemId).FindAsync("user", u => u.ToResponse(), cancellationToken))
            .ToOkOrProblem(response);
}
