namespace Aida.Tests.Docs;

/// <summary>The README's API walkthrough is the script CI runs (issue 18), so what a reader copies has been run.</summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task ReadmeApiWalkthrough_IsTheScriptWithoutItsOwnLines()
    {
        var expected = Walkthrough.ScriptAsReadme(await File.ReadAllTextAsync(Walkthrough.ScriptPath));
        var actual = Walkthrough.ReadmeBlock(await File.ReadAllTextAsync(Walkthrough.ReadmePath));

        var differs = Enumerable.Range(0, Math.Max(expected.Count, actual.Count))
            .FirstOrDefault(i => i >= expected.Count || i >= actual.Count || expected[i] != actual[i], -1);
        Assert.True(differs < 0,
            $"""
            README.md's API walkthrough differs from docs/walkthrough.sh at line {differs + 1} of the block:
              script: {(differs >= 0 && differs < expected.Count ? expected[differs] : "(ends)")}
              README: {(differs >= 0 && differs < actual.Count ? actual[differs] : "(ends)")}
            Change the script, then copy its part below "{Walkthrough.StartLine}", without the lines that start with
            expect, keep or await, into the README's ```sh block:
            {string.Join('\n', expected)}
            """);
    }
}
