using System.Diagnostics.CodeAnalysis;

namespace Aida.Platform.UseCases;

/// <summary>
/// What a use case decided, before anyone turns it into HTTP or HTML: the record it answers with (and
/// the version its ETag carries), or the <see cref="Failure"/> that stopped it. The API maps it with
/// <c>ResultHttp</c>; pages switch on <see cref="Failure"/> and render.
/// </summary>
public readonly record struct Result<T>
{
    private Result(T? value, int? version, Failure? failure)
    {
        Value = value;
        Version = version;
        Failure = failure;
    }

    public T? Value { get; }

    /// <summary>The record's version after the use case, for the ETag; null when the answer is not one versioned record.</summary>
    public int? Version { get; }

    public Failure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public static Result<T> Ok(T value, int? version = null) => new(value, version, null);

    public static implicit operator Result<T>(Failure failure) => new(default, null, failure);

    /// <summary>The same failure for a use case answering another type (a core calling a core).</summary>
    public Result<TOther> Map<TOther>(Func<T, TOther> map) =>
        Failure is null ? Result<TOther>.Ok(map(Value!), Version) : Failure;

    /// <summary>The same, answered with what <paramref name="map"/> reads for the value (a response built from the saved record).</summary>
    public async Task<Result<TOther>> MapAsync<TOther>(Func<T, Task<TOther>> map) =>
        Failure is null ? Result<TOther>.Ok(await map(Value!), Version) : Failure;
}

public static class Result
{
    public static Result<T> Ok<T>(T value, int? version = null) => Result<T>.Ok(value, version);
}
