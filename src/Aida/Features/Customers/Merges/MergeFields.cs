namespace Aida.Features.Customers.Merges;

/// <summary>
/// The customer fields a merge compares and chooses between (WF-CM-002 steps 2–3), each read and written
/// as text so a merge can record the survivor's values before and after it and an undo can put them back.
/// </summary>
public static class MergeFields
{
    public sealed record Field(string Name, Func<Customer, string?> Read, Action<Customer, string?> Write);

    public static IReadOnlyList<Field> All { get; } =
    [
        new("displayName", c => c.DisplayName, (c, v) => c.DisplayName = v ?? c.DisplayName),
        new("type", c => EnumText<CustomerType>.ToText(c.Type), (c, v) => c.Type = EnumText<CustomerType>.Parse(v!)),
        new("status", c => EnumText<CustomerStatus>.ToText(c.Status), (c, v) => c.Status = EnumText<CustomerStatus>.Parse(v!)),
        new("source", c => c.Source is { } s ? EnumText<CustomerSource>.ToText(s) : null,
            (c, v) => c.Source = v is null ? null : EnumText<CustomerSource>.Parse(v)),
        new("externalId", c => c.ExternalId, (c, v) => c.ExternalId = v),
        new("ownerId", c => c.OwnerId?.ToString("D"), (c, v) => c.OwnerId = v is null ? null : Guid.Parse(v, CultureInfo.InvariantCulture)),
        new("parentId", c => c.ParentId?.ToString("D"), (c, v) => c.ParentId = v is null ? null : Guid.Parse(v, CultureInfo.InvariantCulture)),
    ];

    public static Field? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    public static Dictionary<string, string?> Snapshot(Customer customer) =>
        All.ToDictionary(f => f.Name, f => f.Read(customer), StringComparer.Ordinal);

    public static string ToJson(Dictionary<string, string?> values) => JsonSerializer.Serialize(values);

    public static Dictionary<string, string?> FromJson(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];

    /// <summary>
    /// Whose value each field takes: the one chosen, else the survivor's, else — the survivor having none —
    /// the first other customer's (in the order given) that has one.
    /// </summary>
    public static Dictionary<string, Guid> Choose(
        Customer survivor, IReadOnlyList<Customer> ordered, IReadOnlyDictionary<string, Guid> chosen) =>
        All.ToDictionary(
            f => f.Name,
            f => chosen.TryGetValue(f.Name, out var from) ? from
                : f.Read(survivor) is not null ? survivor.Id
                : ordered.FirstOrDefault(c => f.Read(c) is not null)?.Id ?? survivor.Id,
            StringComparer.Ordinal);
}
