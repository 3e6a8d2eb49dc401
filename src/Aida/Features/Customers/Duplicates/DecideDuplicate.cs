namespace Aida.Features.Customers.Duplicates;

public sealed record DeferDuplicateRequest(DateTime? Until);

public enum DuplicateDecision
{
    Dismiss,
    Defer,
    Reopen,
}

/// <summary>
/// A reviewer's decision about one pair: dismiss (not duplicates: never proposed again, whatever later scans
/// find), defer (hidden until a date, 30 days by default, then open again) or reopen. Only a pair whose two
/// records the actor can see is found (404 otherwise); a merged pair is decided for good (409).
/// </summary>
public static class DecideDuplicate
{
    public static readonly TimeSpan DefaultDeferral = TimeSpan.FromDays(30);

    public static readonly TimeSpan LongestDeferral = TimeSpan.FromDays(366);

    public static async Task<Results<Ok<DuplicatePairResponse>, ValidationProblem, ProblemHttpResult>> HandleDismiss(
        Guid pairId, AidaDb db, IEnumerable<IDuplicateRecords> records, CancellationToken cancellationToken) =>
        (await RunAsync(pairId, DuplicateDecision.Dismiss, null, db, records, cancellationToken)).ToOk();

    public static async Task<Results<Ok<DuplicatePairResponse>, ValidationProblem, ProblemHttpResult>> HandleDefer(
        Guid pairId, [FromBody] DeferDuplicateRequest? request, AidaDb db, IEnumerable<IDuplicateRecords> records, CancellationToken cancellationToken) =>
        (await RunAsync(pairId, DuplicateDecision.Defer, request?.Until, db, records, cancellationToken)).ToOk();

    public static async Task<Results<Ok<DuplicatePairResponse>, ValidationProblem, ProblemHttpResult>> HandleReopen(
        Guid pairId, AidaDb db, IEnumerable<IDuplicateRecords> records, CancellationToken cancellationToken) =>
        (await RunAsync(pairId, DuplicateDecision.Reopen, null, db, records, cancellationToken)).ToOk();

    public static async Task<Result<DuplicatePairResponse>> RunAsync(
        Guid pairId, DuplicateDecision decision, DateTime? until, AidaDb db, IEnumerable<IDuplicateRecords> records, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        if (decision == DuplicateDecision.Defer && until is { } date)
        {
            var utc = date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date.ToUniversalTime();
            if (utc <= now)
            {
                return new Failure.Invalid("until", "Must be in the future.");
            }

            if (utc > now + LongestDeferral)
            {
                return new Failure.Invalid("until", "May be at most a year ahead; dismiss the pair if they are not duplicates.");
            }

            until = utc;
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var type = await db.Set<DuplicatePair>().AsNoTracking().Where(p => p.Id == pairId).Select(p => (DuplicateRecordType?)p.RecordType).FirstOrDefaultAsync(cancellationToken);
        var source = type is { } t ? records.FirstOrDefault(r => r.Type == t) : null;
        var pair = source is null ? null : await ListDuplicates.VisiblePairs(db, source).FirstOrDefaultAsync(p => p.Id == pairId, cancellationToken);
        if (pair is null)
        {
            return new Failure.NotFound("duplicate pair");
        }

        if (pair.Status == DuplicatePairStatus.Merged)
        {
            return new Failure.Conflict("status", "These records have been merged; the pair is decided.");
        }

        switch (decision)
        {
            case DuplicateDecision.Dismiss:
                pair.Status = DuplicatePairStatus.Dismissed;
                pair.DeferredUntil = null;
                break;
            case DuplicateDecision.Defer:
                pair.Status = DuplicatePairStatus.Deferred;
                pair.DeferredUntil = until ?? now + DefaultDeferral;
                break;
            default:
                pair.Status = DuplicatePairStatus.Open;
                pair.DeferredUntil = null;
                break;
        }

        pair.DecidedBy = decision == DuplicateDecision.Reopen ? null : db.ActorId;
        pair.DecidedAt = decision == DuplicateDecision.Reopen ? null : now;
        pair.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(pair.ToResponse());
    }
}

public sealed record DuplicateScanResponse(
    DuplicateRecordType RecordType, DuplicateScanPhase Phase, DateTime? Watermark, DateTime? PassStartedAt, DateTime? LastFinishedAt, long RecordsScanned, long PairsFound);

/// <summary>
/// <c>GET/POST /api/v1/duplicates/scan</c>: where the background scan stands for one record type (customers unless
/// <c>type</c> says otherwise), and (admins) a pass now — or a full one — which covers every type.
/// </summary>
public static class DuplicateScanEndpoints
{
    public static async Task<Results<Ok<DuplicateScanResponse>, ValidationProblem>> HandleGet(string? type, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var recordType = QueryValues.Enum<DuplicateRecordType>(type, "type", errors) ?? DuplicateRecordType.Customer;
        return errors.Any ? errors.ToFailure().ToValidationProblem() : TypedResults.Ok(await StateAsync(db, recordType, cancellationToken));
    }

    public static async Task<Accepted<DuplicateScanResponse>> HandleStart(bool? full, AidaDb db, DuplicateScan scan, CancellationToken cancellationToken)
    {
        if (full == true)
        {
            await DuplicateScan.RestartAsync(db, cancellationToken);
        }

        scan.Request();
        return TypedResults.Accepted("/api/v1/duplicates/scan", await StateAsync(db, DuplicateRecordType.Customer, cancellationToken));
    }

    private static async Task<DuplicateScanResponse> StateAsync(AidaDb db, DuplicateRecordType type, CancellationToken cancellationToken)
    {
        var state = await db.Set<DuplicateScanState>().AsNoTracking().FirstOrDefaultAsync(s => s.RecordType == type, cancellationToken);
        return state is null
            ? new DuplicateScanResponse(type, DuplicateScanPhase.Full, null, null, null, 0, 0)
            : new DuplicateScanResponse(state.RecordType, state.Phase, state.Watermark, state.PassStartedAt, state.LastFinishedAt, state.RecordsScanned, state.PairsFound);
    }
}
