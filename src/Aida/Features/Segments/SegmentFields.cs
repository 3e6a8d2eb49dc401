using System.Collections.Frozen;

namespace Aida.Features.Segments;

/// <summary>What a criteria field holds; decides which operators and values it takes.</summary>
public enum FieldType
{
    /// <summary>Free text, compared ignoring case.</summary>
    Text,

    /// <summary>One of a fixed list of values.</summary>
    Choice,

    /// <summary>One of a fixed list in a meaningful order (size bands): also gt/gte/lt/lte.</summary>
    OrderedChoice,

    Number,
    Money,

    /// <summary>A moment (UTC); ISO dates, date-times and <c>now-90d</c>.</summary>
    Timestamp,

    /// <summary>A calendar day; ISO dates and <c>now-90d</c>.</summary>
    Day,

    /// <summary>A record id (a user, a team).</summary>
    Id,

    /// <summary>Membership of another segment.</summary>
    Segment,
}

/// <summary>
/// Where a field's column lives, relative to the customer row (alias <c>c</c>): the customer itself, or rows
/// that hang off it, tested as "some such row matches" (<c>@@</c> stands for the field's predicate), in one of
/// two forms (<see cref="RowSource"/>): <see cref="Exists"/>, <c>c.id IN (SELECT customer_id …)</c>, from which
/// both databases can start — the few rows a selective condition matches (an expression index on
/// <c>lower(country)</c>, say), then the customers by key; and <see cref="Probe"/>, a correlated
/// <c>EXISTS</c>, one index probe per customer already found. SQLite starts from the first <c>IN</c> list it is
/// given and builds every other one in full before it can test a row against it, so criteria with several
/// (<see cref="CriteriaSql"/>) keep the most selective as <c>IN</c> and probe the rest.
/// <see cref="ChangedSince"/> lists the customers whose rows here changed since <c>@t</c>, for incremental runs.
/// </summary>
public sealed record FieldSource(string Name, string? Exists, string ChangedSince)
{
    /// <summary>
    /// The correlated form of <see cref="Exists"/>, for a row source (null for the customer's own columns), with
    /// <c>@customer</c> for the customer id it is tested against: <c>c.id</c>, or another source's
    /// <see cref="CustomerColumn"/> when the probe runs inside that source's <c>IN</c> list.
    /// </summary>
    public string? Probe { get; private init; }

    /// <summary><see cref="Exists"/> with the list cut at <c>@limit</c> rows: enough to find a few members.</summary>
    public string? ExistsLimited { get; private init; }

    /// <summary>The column of a row source's rows that holds their customer's id (<c>ad.customer_id</c>).</summary>
    public string? CustomerColumn { get; private init; }

    /// <summary>The SQL alias of a row source's rows: two probes with one alias cannot be nested in each other.</summary>
    public string? Alias => CustomerColumn?[..CustomerColumn.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>Counts the source's rows matching <c>@@</c>, up to <c>@cap</c>: how selective a condition is.</summary>
    public string? Estimate { get; private init; }

    /// <param name="rows">The rows' FROM and WHERE: "FROM addresses ad WHERE ad.deleted_at IS NULL".</param>
    /// <param name="customer">The column of those rows that holds their customer's id.</param>
    private static FieldSource RowSource(string name, string rows, string customer, string changedSince) =>
        new(name, $"c.id IN (SELECT {customer} {rows} AND (@@))", changedSince)
        {
            Probe = $"EXISTS (SELECT 1 {rows} AND {customer} = @customer AND (@@))",
            CustomerColumn = customer,
            ExistsLimited = $"c.id IN (SELECT {customer} {rows} AND (@@) LIMIT @limit)",
            Estimate = $"SELECT COUNT(*) AS \"Value\" FROM (SELECT 1 {rows} AND (@@) LIMIT @cap) AS counted",
        };

    public static readonly FieldSource Customer = new("customer", null,
        "SELECT id FROM customers WHERE updated_at >= @t");

    public static readonly FieldSource Team = new("team",
        "EXISTS (SELECT 1 FROM users u WHERE u.id = c.owner_id AND (@@))",
        "SELECT id FROM customers WHERE updated_at >= @t");

    public static readonly FieldSource Contact = RowSource("contact",
        "FROM contacts ct WHERE ct.deleted_at IS NULL", "ct.customer_id",
        "SELECT customer_id FROM contacts WHERE updated_at >= @t");

    public static readonly FieldSource Account = RowSource("account",
        "FROM accounts a WHERE a.deleted_at IS NULL", "a.customer_id",
        "SELECT customer_id FROM accounts WHERE updated_at >= @t");

    public static readonly FieldSource Address = RowSource("address",
        "FROM addresses ad WHERE ad.deleted_at IS NULL", "ad.customer_id",
        "SELECT customer_id FROM addresses WHERE updated_at >= @t");

    public static readonly FieldSource Lifecycle = RowSource("lifecycle",
        "FROM customer_lifecycles l WHERE 1 = 1", "l.customer_id",
        "SELECT customer_id FROM customer_lifecycles WHERE updated_at >= @t");

    public static readonly FieldSource Stage = RowSource("stage",
        "FROM customer_lifecycles l JOIN lifecycle_stages s ON s.id = l.current_stage_id WHERE 1 = 1", "l.customer_id",
        "SELECT customer_id FROM customer_lifecycles WHERE updated_at >= @t");

    public static readonly FieldSource Membership = new("segment", null, "SELECT id FROM customers WHERE 1 = 0");

    /// <summary>
    /// A customer's score of one type (Scoring's <c>customer_scores</c>, one row per customer and type). Its
    /// changes are read from the health rows' calculated_at (a partial index): a customer's five scores are always
    /// written together, so health's time stands for every type. A scoring run recalculates everyone, so the
    /// incremental run after it re-evaluates every scored customer.
    /// </summary>
    public static FieldSource Score(string scoreType) => RowSource($"score:{scoreType}",
        $"FROM customer_scores sc WHERE sc.score_type = '{scoreType}'", "sc.customer_id",
        "SELECT customer_id FROM customer_scores WHERE score_type = 'health' AND calculated_at >= @t");
}

/// <summary>A field criteria may test: its name, type, SQL column (within its source) and, for choices, the values.</summary>
public sealed record SegmentField(string Key, string Label, FieldType Type, FieldSource Source, string Column, IReadOnlyList<string>? Choices = null)
{
    public IReadOnlyList<SegmentOperator> Operators => SegmentFields.OperatorsFor(Type);
}

public enum SegmentOperator
{
    Eq,
    Ne,
    In,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    Exists,
}

/// <summary>
/// Every field segment criteria may use. Adding one is a line here.
/// </summary>
public static class SegmentFields
{
    public const string EmailDomainKey = "customer.email_domain";
    public const string SegmentKey = "segment";

    private static readonly string[] Grades = ["A", "B", "C", "D", "F"];

    public static IReadOnlyList<SegmentField> All { get; } =
    [
        new("customer.name", "Customer name", FieldType.Text, FieldSource.Customer, "c.display_name"),
        new("customer.status", "Status", FieldType.Choice, FieldSource.Customer, "c.status", ["active", "inactive", "prospect", "churned"]),
        new("customer.type", "Type", FieldType.Choice, FieldSource.Customer, "c.type", ["individual", "organization"]),
        new("customer.source", "Source", FieldType.Choice, FieldSource.Customer, "c.source", ["web", "referral", "sales", "import", "api"]),
        new("customer.owner", "Owner (user id)", FieldType.Id, FieldSource.Customer, "c.owner_id"),
        new("customer.team", "Owner's team (team id)", FieldType.Id, FieldSource.Team, "u.team_id"),
        new("customer.external_id", "External id", FieldType.Text, FieldSource.Customer, "c.external_id"),
        new("customer.created_at", "Created", FieldType.Timestamp, FieldSource.Customer, "c.created_at"),
        new("customer.updated_at", "Last changed", FieldType.Timestamp, FieldSource.Customer, "c.updated_at"),
        new(EmailDomainKey, "A contact's email domain", FieldType.Text, FieldSource.Contact, "ct.email"),
        new("account.industry", "Industry", FieldType.Text, FieldSource.Account, "a.industry"),
        new("account.employee_count", "Employees", FieldType.OrderedChoice, FieldSource.Account, "a.employee_count", ["1-10", "11-50", "51-200", "201-500", "501-1000", "1000+"]),
        new("account.annual_revenue", "Annual revenue band", FieldType.OrderedChoice, FieldSource.Account, "a.annual_revenue", ["<100K", "100K-1M", "1M-10M", "10M-100M", "100M+"]),
        new("account.legal_name", "Legal name", FieldType.Text, FieldSource.Account, "a.legal_name"),
        new("account.website_domain", "Website domain", FieldType.Text, FieldSource.Account, "a.website_domain"),
        new("address.country", "Country (any address)", FieldType.Text, FieldSource.Address, "ad.country"),
        new("address.city", "City (any address)", FieldType.Text, FieldSource.Address, "ad.city"),
        new("address.region", "Region (any address)", FieldType.Text, FieldSource.Address, "ad.state_province"),
        new("address.postal_code", "Postal code (any address)", FieldType.Text, FieldSource.Address, "ad.postal_code"),
        new("address.type", "Address type", FieldType.Choice, FieldSource.Address, "ad.address_type", ["billing", "shipping", "service", "headquarters", "other"]),
        new("lifecycle.current_stage", "Lifecycle stage (code)", FieldType.Text, FieldSource.Stage, "s.code"),
        new("lifecycle.current_stage.category", "Stage category", FieldType.Choice, FieldSource.Stage, "s.category", ["pre_customer", "customer", "post_customer"]),
        new("lifecycle.current_stage.phase", "AIDA phase", FieldType.Choice, FieldSource.Stage, "s.phase", ["capture", "connect", "convert", "retain"]),
        new("lifecycle.entered_stage_at", "In stage since", FieldType.Timestamp, FieldSource.Lifecycle, "l.entered_stage_at"),
        new("lifecycle.total_revenue", "Total revenue", FieldType.Money, FieldSource.Lifecycle, "l.total_revenue"),
        new("lifecycle.purchase_count", "Purchases", FieldType.Number, FieldSource.Lifecycle, "l.purchase_count"),
        new("lifecycle.first_purchase_date", "First purchase", FieldType.Day, FieldSource.Lifecycle, "l.first_purchase_date"),
        new("lifecycle.last_purchase_date", "Last purchase", FieldType.Day, FieldSource.Lifecycle, "l.last_purchase_date"),
        new("scores.health", "Health score", FieldType.Number, FieldSource.Score("health"), "sc.score_value"),
        new("scores.health.grade", "Health grade", FieldType.Choice, FieldSource.Score("health"), "sc.grade", Grades),
        new("scores.engagement", "Engagement score", FieldType.Number, FieldSource.Score("engagement"), "sc.score_value"),
        new("scores.value", "Value score", FieldType.Number, FieldSource.Score("value"), "sc.score_value"),
        new("scores.churn_risk", "Churn risk score", FieldType.Number, FieldSource.Score("churn_risk"), "sc.score_value"),
        new("scores.upsell_potential", "Upsell potential score", FieldType.Number, FieldSource.Score("upsell_potential"), "sc.score_value"),
        new(SegmentKey, "In segment", FieldType.Segment, FieldSource.Membership, "m.segment_id"),
    ];

    private static readonly FrozenDictionary<string, SegmentField> ByKey = All.ToFrozenDictionary(f => f.Key, StringComparer.Ordinal);

    public static SegmentField? Find(string key) => ByKey.GetValueOrDefault(key);

    public static IReadOnlyList<SegmentOperator> OperatorsFor(FieldType type) => type switch
    {
        FieldType.Text => [SegmentOperator.Eq, SegmentOperator.Ne, SegmentOperator.In, SegmentOperator.Contains, SegmentOperator.Exists],
        FieldType.Choice or FieldType.Id => [SegmentOperator.Eq, SegmentOperator.Ne, SegmentOperator.In, SegmentOperator.Exists],
        FieldType.OrderedChoice or FieldType.Number or FieldType.Money =>
            [SegmentOperator.Eq, SegmentOperator.Ne, SegmentOperator.In, SegmentOperator.Gt, SegmentOperator.Gte, SegmentOperator.Lt, SegmentOperator.Lte, SegmentOperator.Exists],
        FieldType.Day => [SegmentOperator.Eq, SegmentOperator.Ne, SegmentOperator.Gt, SegmentOperator.Gte, SegmentOperator.Lt, SegmentOperator.Lte, SegmentOperator.Exists],
        FieldType.Timestamp => [SegmentOperator.Gt, SegmentOperator.Gte, SegmentOperator.Lt, SegmentOperator.Lte, SegmentOperator.Exists],
        FieldType.Segment => [SegmentOperator.Eq, SegmentOperator.Ne, SegmentOperator.In],
        _ => [],
    };

    public static string Name(SegmentOperator op) => op.ToString().ToLowerInvariant();
}
