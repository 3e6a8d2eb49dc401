using System.Text.RegularExpressions;

namespace Aida.Tests;

/// <summary>
/// The direction docs/ARCHITECTURE.md gives the code: Platform uses no feature, and features point one way
/// (a feature that needs something of one built on it defines an interface the other registers). Read from
/// the sources, as a reviewer would grep them, so a new cycle fails here rather than in review.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    /// <summary>What each feature may name besides itself and Platform.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Customers"] = [],
        ["Interactions"] = ["Customers"],
        ["Deals"] = ["Customers", "Interactions"],
        ["Leads"] = ["Customers", "Interactions", "Deals"],
        ["Analytics"] = ["Leads", "Deals"],
        ["Import"] = ["Customers", "Interactions", "Leads"],
        ["Lifecycle"] = ["Customers", "Interactions", "Leads", "Deals"],
        ["Scoring"] = ["Customers", "Interactions", "Deals", "Lifecycle"],
        ["Segments"] = ["Customers", "Lifecycle"],
        ["Exports"] = ["Customers", "Interactions", "Leads", "Deals"],
        ["Dashboard"] = ["Customers", "Interactions", "Leads", "Deals", "Analytics"],
    };

    [Fact]
    public void Platform_NamesNoFeature()
    {
        Assert.Empty(References(Path.Combine(SourceRoot(), "Platform")));
    }

    [Fact]
    public void Features_NameOnlyTheFeaturesTheyBuildOn()
    {
        var features = Path.Combine(SourceRoot(), "Features");
        var folders = Directory.GetDirectories(features).Select(Path.GetFileName).ToList();
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), folders.Order(StringComparer.Ordinal));

        var wrong = Allowed.SelectMany(feature => References(Path.Combine(features, feature.Key))
                .Where(r => r.Feature != feature.Key && !feature.Value.Contains(r.Feature))
                .Select(r => $"{feature.Key} names {r.Feature} in {r.File}"))
            .ToList();
        Assert.Empty(wrong);
    }

    /// <summary>Every mention of a feature's namespace (<c>Aida.Features.Deals</c>, or <c>Deals.Opportunity</c> from within Aida.Features).</summary>
    private static List<(string Feature, string File)> References(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .SelectMany(f => FeatureName().Matches(File.ReadAllText(f)).Select(m => (m.Groups["feature"].Value, Path.GetRelativePath(folder, f))))
            .Distinct()
            .ToList();

    [GeneratedRegex(@"(?<![\w.])(?:Aida\.Features\.(?<feature>Customers|Interactions|Deals|Leads|Analytics|Import|Lifecycle|Scoring|Segments|Exports|Dashboard)\b|(?:Features\.)?(?<feature>Customers|Interactions|Deals|Leads|Analytics|Import|Lifecycle|Scoring|Segments|Exports|Dashboard)\.[A-Z])")]
    private static partial Regex FeatureName();

    private static string SourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aida.slnx")))
            {
                return Path.Combine(directory.FullName, "src", "Aida");
            }
        }

        throw new InvalidOperationException("Aida.slnx not found above " + AppContext.BaseDirectory);
    }
}
