namespace Aida.Features.Customers.Relationships;

public static class RelationshipRules
{
    public static void CheckDates(ValidationErrors errors, DateOnly? start, DateOnly? end)
    {
        if (start is not null && end is not null && end < start)
        {
            errors.Add("endDate", "Must not be before startDate.");
        }
    }
}
