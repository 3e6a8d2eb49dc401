namespace Aida.Features.Segments;

/// <summary><c>GET /api/v1/segments/fields</c>: the fields criteria may use, with their type, operators and choices (for builders and integrations).</summary>
public static class ListSegmentFields
{
    public sealed record SegmentFieldResponse(string Field, string Label, string Type, IReadOnlyList<string> Operators, IReadOnlyList<string>? Choices);

    public static Ok<IReadOnlyList<SegmentFieldResponse>> Handle() =>
        TypedResults.Ok<IReadOnlyList<SegmentFieldResponse>>(SegmentFields.All.Select(f => new SegmentFieldResponse(
            f.Key, f.Label, Naming.ToSnakeCase(f.Type.ToString()), f.Operators.Select(SegmentFields.Name).ToList(), f.Choices)).ToList());
}
