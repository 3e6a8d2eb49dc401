namespace Aida.Features.Segments.Pages;

/// <summary>SegmentList, SegmentBuilder (with its live preview) and a segment's page with its members.</summary>
public static class SegmentPages
{
    public static async Task<IResult> List(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var page = (await ListSegments.RunAsync(null, null, Paging.MaxLimit, null, db, cancellationToken)).Value!;
        return Html.Page<SegmentListPage>(new { Context = UiContext.For(http), Segments = page.Items });
    }

    public static IResult New(HttpContext http) => Builder(http, SegmentBuilderForm.Empty(), [], null);

    public static async Task<IResult> Edit(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var segment = await db.Set<Segment>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        return segment is null ? Html.NotFound(http, "segment") : Builder(http, SegmentBuilderForm.From(segment), [], null);
    }

    /// <summary>Save, or (without JavaScript) add a condition row or preview: the form comes back as typed.</summary>
    public static async Task<IResult> Save(HttpContext http, AidaDb db, IServiceScopeFactory scopes, ILogger<Segment> logger, IFormCollection posted, CancellationToken cancellationToken)
    {
        var action = posted["action"].ToString();
        var form = SegmentBuilderForm.From(posted, action);
        if (action is "add" or "remove" or "group" || action.StartsWith("add:", StringComparison.Ordinal))
        {
            return Builder(http, form, [], null);
        }

        var errors = new ValidationErrors();
        var criteria = form.Criteria(errors);
        if (action == "preview")
        {
            return Builder(http, form, form.Describe(errors.ToDictionary()), errors.Any ? null : await PreviewAsync(criteria, db, cancellationToken));
        }

        if (errors.Any)
        {
            return Builder(http, form, form.Describe(errors.ToDictionary()), null, StatusCodes.Status400BadRequest);
        }

        var priority = int.TryParse(form.Priority, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var group = string.IsNullOrWhiteSpace(form.ExclusionGroup) ? null : form.ExclusionGroup;
        Result<SegmentResponse> result;
        if (form.Id is null)
        {
            result = await CreateSegment.RunAsync(new CreateSegment.Request(form.Name, form.Description, form.Type == "static" ? SegmentType.Static : SegmentType.Dynamic,
                criteria, priority, group, true), db, scopes, logger, cancellationToken);
        }
        else
        {
            var ifMatch = form.Version is null ? null : $"\"{form.Version.Value.ToString(CultureInfo.InvariantCulture)}\"";
            result = await UpdateSegment.RunAsync(form.Id.Value, new UpdateSegment.Request(
                form.Name, form.Description, default, form.Type == "static" ? default : new Optional<JsonElement?>(criteria), priority, group, default),
                ifMatch, db, scopes, logger, cancellationToken);
        }

        return result.Failure switch
        {
            null => Html.Done(http, $"/segments/{result.Value!.Id}", $"Segment \"{result.Value.Name}\" saved: {result.Value.MemberCount} member{(result.Value.MemberCount == 1 ? "" : "s")}."),
            Failure.NotFound => Html.NotFound(http, "segment"),
            Failure.Stale => Builder(http, form, ["Someone else changed this segment meanwhile; open it again and reapply your change."], null, StatusCodes.Status412PreconditionFailed),
            var failure => Builder(http, form, form.Describe(failure.FieldErrors), null, failure.StatusCode),
        };
    }

    /// <summary>The builder's live preview (htmx, as the criteria change): the count in the viewer's reach, or what is wrong.</summary>
    public static async Task<IResult> Preview(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var form = SegmentBuilderForm.From(posted);
        var errors = new ValidationErrors();
        var criteria = form.Criteria(errors);
        var preview = errors.Any ? null : await PreviewAsync(criteria, db, cancellationToken);
        var problems = preview?.Failure is { } failure ? form.Describe(failure.FieldErrors) : form.Describe(errors.ToDictionary());
        return Html.Page<SegmentPreviewFragment>(new { Preview = preview?.Value, Problems = problems, IsStatic = form.Type == "static" });
    }

    private static async Task<Result<PreviewSegment.SegmentPreviewResponse>?> PreviewAsync(JsonElement? criteria, AidaDb db, CancellationToken cancellationToken) =>
        criteria is null ? (Result<PreviewSegment.SegmentPreviewResponse>?)null : await PreviewSegment.RunAsync(criteria, db, cancellationToken);

    private static IResult Builder(HttpContext http, SegmentBuilderForm form, IReadOnlyList<string> problems, Result<PreviewSegment.SegmentPreviewResponse>? preview, int? status = null)
    {
        if (preview?.Failure is { } failure)
        {
            problems = [.. problems, .. form.Describe(failure.FieldErrors)];
        }

        return Html.Page<SegmentBuilderPage>(new { Context = UiContext.For(http), Form = form, Problems = problems, Preview = preview?.Value }, status);
    }

    public static async Task<IResult> Detail(Guid id, string? cursor, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var segment = await GetSegment.RunAsync(id, db, cancellationToken);
        if (segment.Failure is not null)
        {
            return Html.NotFound(http, "segment");
        }

        var members = await ListSegmentCustomers.RunAsync(id, 50, cursor, db, cancellationToken);
        return Html.Page<SegmentDetailPage>(new
        {
            Context = UiContext.For(http),
            Segment = segment.Value!,
            Members = members.Value ?? new Page<ListSegmentCustomers.SegmentMemberResponse>([], null),
        });
    }

    public static async Task<IResult> Refresh(Guid id, HttpContext http, AidaDb db, IServiceScopeFactory scopes, ILogger<Segment> logger, CancellationToken cancellationToken)
    {
        var result = await RefreshSegment.RunAsync(id, db, scopes, logger, cancellationToken);
        return Html.Finish(http, result.Failure, $"/segments/{id}", $"Recalculated: {result.Value?.MemberCount} members.");
    }
}
