namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// What a matching record works out from its own members once and keeps (<see cref="MatchKeys"/>, <see cref="StreetAddress"/>).
/// Equal to any other of its kind: what it holds follows from the record's other members, so it never decides the
/// record's equality. A record holding one gives its copies (<c>with</c>) a new one, as their members may differ.
/// </summary>
internal abstract class DerivedValues
{
    public override bool Equals(object? obj) => obj?.GetType() == GetType();

    public override int GetHashCode() => 0;
}
