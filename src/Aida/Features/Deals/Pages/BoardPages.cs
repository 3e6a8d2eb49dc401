using Microsoft.Extensions.Options;

namespace Aida.Features.Deals.Pages;

/// <summary>
/// The pipeline board (<c>/deals?pipeline=</c>): a column per stage with its count and total value, a
/// card per deal. Cards are dragged between columns by <c>wwwroot/js/board.js</c>, which posts the same
/// "Move to…" form each card carries for use without JavaScript; both reach <see cref="MoveDeal"/>.
/// </summary>
public static class BoardPages
{
    /// <summary>Closed columns show what closed lately; older wins and losses are in the list and reports.</summary>
    public const int ClosedWithinDays = 30;

    /// <summary>Cards drawn per column; the count and total still cover every deal in it.</summary>
    public const int MaxCardsPerColumn = 100;

    public sealed record Column(StageResponse Stage, int Count, IReadOnlyList<(string Currency, decimal Total)> Totals, IReadOnlyList<DealResponse> Cards);

    /// <param name="Today">The viewer's date, in their time zone: an open deal expected to close before it is overdue.</param>
    public sealed record BoardView(
        IReadOnlyList<PipelineResponse> Pipelines, PipelineResponse Pipeline, IReadOnlyList<Column> Columns, UserDirectory Users, bool CanMove, bool CanCreate,
        DateOnly Today)
    {
        public bool Overdue(DealResponse deal) => deal.Status == DealStatus.Open && deal.ExpectedCloseOn < Today;
    }

    public static async Task<IResult> Board(HttpContext http, AidaDb db, IOptions<DealOptions> options, Guid? pipeline, CancellationToken cancellationToken)
    {
        var pipelines = (await ListPipelines.RunAsync(db, cancellationToken)).Items;
        var current = pipeline is { } chosen ? pipelines.FirstOrDefault(p => p.Id == chosen) : pipelines.FirstOrDefault(p => p.IsDefault) ?? (pipelines.Count > 0 ? pipelines[0] : null);
        if (current is null)
        {
            return Html.NotFound(http, "pipeline");
        }

        var closedSince = db.Clock.UtcNow().AddDays(-ClosedWithinDays);
        var deals = await db.Set<Opportunity>().AsNoTracking()
            .Where(o => o.PipelineId == current.Id && (o.Status == DealStatus.Open || o.ClosedAt >= closedSince))
            .ToListAsync(cancellationToken);
        var responses = await DealMapping.ToResponsesAsync(db, deals, options.Value.StaleAfterDays, cancellationToken);
        var columns = current.Stages.Select(stage =>
        {
            var inStage = responses.Where(d => d.Stage.Id == stage.Id).ToList();
            var totals = inStage.GroupBy(d => d.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, g.Sum(d => d.Value))).ToList();
            var cards = inStage.OrderBy(d => d.ExpectedCloseOn ?? DateOnly.MaxValue).ThenBy(d => d.Title, StringComparer.CurrentCultureIgnoreCase)
                .Take(MaxCardsPerColumn).ToList();
            return new Column(stage, inStage.Count, totals, cards);
        }).ToList();
        var ui = UiContext.For(http);
        var users = await UserDirectory.LoadAsync(db, cancellationToken);
        return Html.Page<BoardPage>(new
        {
            Context = ui,
            View = new BoardView(pipelines, current, columns, users, ui.Can(Permissions.LeadsEdit), ui.Can(Permissions.LeadsCreate), ui.Day(db.Clock.UtcNow())),
        });
    }

    /// <summary>
    /// A card's "Move to…" form, posted by the browser (then answered with a redirect, or the form again
    /// when the reason is missing) or by board.js with <c>Accept: application/json</c> (then answered with
    /// the deal's new version, or the problem, so the script can put the card back).
    /// </summary>
    public static async Task<IResult> Move(Guid id, HttpContext http, AidaDb db, IOptions<DealOptions> options, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var script = http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
        var deal = await db.Set<Opportunity>().AsNoTracking().Where(o => o.Id == id).Select(o => new { o.Title, o.PipelineId }).FirstOrDefaultAsync(cancellationToken);
        if (deal is null)
        {
            return script ? Results.Json(new { status = 404, detail = "There is no deal here, or you cannot see it." }, statusCode: StatusCodes.Status404NotFound) : Html.NotFound(http, "deal");
        }

        var back = values["returnTo"] == "detail" ? $"/deals/{id}" : $"/deals?pipeline={deal.PipelineId}";
        var stageId = values.Id("stageId");
        var moved = values.Errors.Any
            ? (Result<DealResponse>?)null
            : await MoveDeal.RunAsync(id, new MoveDeal.Request(stageId, values.Text("reason")), values.IfMatch, db, options, cancellationToken);
        var failure = moved?.Failure;
        if (script)
        {
            return moved is { Succeeded: true, Value: { } done }
                ? Results.Json(new { version = done.Version, stageId = done.Stage.Id, status = EnumText<DealStatus>.ToText(done.Status), stale = done.Stale })
                : Results.Json(new
                {
                    status = failure?.StatusCode ?? StatusCodes.Status400BadRequest,
                    stale = failure is Failure.Stale,
                    detail = failure?.Detail,
                    errors = failure?.FieldErrors ?? values.OwnErrors,
                }, statusCode: failure?.StatusCode ?? StatusCodes.Status400BadRequest);
        }

        switch (failure)
        {
            case null when moved is { Value: { } done }:
                return Html.Done(http, back, $"“{done.Title}” is now in {done.Stage.Name}.");
            case Failure.NotFound:
                return Html.NotFound(http, "deal");
            case Failure.Stale or MoveDeal.PreconditionRequired:
                Flash.Set(http, FlashKind.Error, StaleMessage);
                return TypedResults.Redirect(back);
        }

        // Refused (most often: closing without a reason): the move form again, on its own page, saying why.
        var current = await db.Set<Opportunity>().AsNoTracking().FirstAsync(o => o.Id == id, cancellationToken);
        var stages = (await ListPipelines.RunAsync(db, cancellationToken)).Items.FirstOrDefault(p => p.Id == current.PipelineId)?.Stages ?? [];
        return Html.Page<MovePage>(new
        {
            Context = UiContext.For(http),
            DealId = id,
            Title = current.Title,
            Stages = stages,
            Values = values,
            Errors = failure is null ? values.OwnErrors : values.With(failure.FieldErrors),
            ReturnTo = values["returnTo"] ?? "board",
        }, StatusCodes.Status400BadRequest);
    }

    public const string StaleMessage = "Someone else changed this deal — reloaded. Nothing was moved; here it is as it is now.";

    public static string Amount(decimal value, string currency) => Money.Format(value, currency);
}
