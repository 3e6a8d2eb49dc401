namespace Aida.Features.Customers.Pages;

/// <summary>A merge field's text value as a person reads it: enum words, an owner's name, "—" for none.</summary>
public static class MergeDisplay
{
    public static string Value(string field, string? value, UserDirectory users) => (field, value) switch
    {
        (_, null) => "—",
        ("ownerId", { } owner) => users.NameOf(Guid.Parse(owner, CultureInfo.InvariantCulture)),
        ("type" or "status" or "source", { } text) => Choices.Words(text),
        (_, { } text) => text,
    };
}
