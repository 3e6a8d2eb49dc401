namespace Aida.Features.Segments;

/// <summary>The checks a segment's definition passes on create and on change.</summary>
public static class SegmentRules
{
    /// <summary>
    /// Parses <paramref name="criteria"/> (errors named by JSON path) and checks that the segments it names exist
    /// and that none of them leads back to <paramref name="selfId"/> (a segment cannot contain itself).
    /// </summary>
    public static async Task<CriteriaNode?> CriteriaAsync(AidaDb db, ValidationErrors errors, JsonElement criteria, Guid? selfId, CancellationToken cancellationToken)
    {
        var parsed = SegmentCriteria.Parse(criteria, errors);
        if (parsed is null)
        {
            return null;
        }

        var referenced = parsed.ReferencedSegments;
        if (referenced.Count == 0)
        {
            return parsed;
        }

        if (selfId is not null && referenced.Contains(selfId.Value))
        {
            errors.Add("criteria", "A segment cannot refer to itself.");
            return null;
        }

        var all = await db.Set<Segment>().AsNoTracking().Select(s => new { s.Id, s.Name, s.Criteria }).ToListAsync(cancellationToken);
        var byId = all.ToDictionary(s => s.Id);
        foreach (var id in referenced.Where(id => !byId.ContainsKey(id)))
        {
            errors.Add("criteria", $"No segment with id {id} exists.");
        }

        if (errors.Any || selfId is null)
        {
            return errors.Any ? null : parsed;
        }

        // A walk through what the named segments name in turn: reaching this segment again would be a loop.
        var seen = new HashSet<Guid>();
        var queue = new Queue<Guid>(referenced);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (!seen.Add(id) || !byId.TryGetValue(id, out var segment) || segment.Criteria is null)
            {
                continue;
            }

            foreach (var next in SegmentCriteria.ParseStored(segment.Criteria).ReferencedSegments)
            {
                if (next == selfId)
                {
                    errors.Add("criteria", $"Segment \"{segment.Name}\" already refers to this one: segments cannot contain each other in a loop.");
                    return null;
                }

                queue.Enqueue(next);
            }
        }

        return parsed;
    }

    public static string? ExclusionGroup(ValidationErrors errors, string? group)
    {
        var trimmed = errors.OptionalText("exclusionGroup", group, Segment.ExclusionGroupMaxLength);
        return trimmed;
    }

    public static async Task<Failure?> UniqueNameAsync(AidaDb db, string name, Guid? selfId, CancellationToken cancellationToken)
    {
        // Few segments exist; the database's unique index on lower(name) is the last word, this the friendly one.
        var names = await db.Set<Segment>().Where(s => s.Id != selfId).Select(s => s.Name).ToListAsync(cancellationToken);
        var taken = names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return taken ? new Failure.Conflict("name", "Another segment already has this name.") : null;
    }
}
