using Aida.Features.Interactions.Communications;
using Aida.Features.Interactions.Notes;

namespace Aida.Tests.Features.Interactions;

/// <summary>What a note's text is checked for (<see cref="PersonalData"/>) and how it is shown (<see cref="NoteMarkdown"/>).</summary>
public sealed class NoteContentTests
{
    [Theory]
    [InlineData("Card 4111 1111 1111 1111 exp 12/29", "payment_card")]
    [InlineData("card:4111-1111-1111-1111", "payment_card")]
    [InlineData("Amex 378282246310005", "payment_card")]
    [InlineData("SSN 123-45-6789", "national_id")]
    [InlineData("NI number JG 10 37 28 A", "national_id")]
    [InlineData("NI AB123456D please", "national_id")]
    [InlineData("4111111111111111 and 078-05-1120", "payment_card,national_id")]
    public void PersonalData_FindsCardsAndNationalIds(string text, string kinds)
    {
        Assert.Equal(kinds.Split(','), PersonalData.Find(text));
    }

    [Theory]
    [InlineData("Order 4111 1111 1111 1112 shipped")] // fails the Luhn check
    [InlineData("Call +44 20 7946 0958 or 0207 946 0958")]
    [InlineData("Invoice 2026-0001, PO 123456")]
    [InlineData("SSN-like but never issued: 000-12-3456, 666-12-3456, 900-12-3456, 123-00-4567, 123-45-0000")]
    [InlineData("NI with a bad prefix: DQ 12 34 56 A")]
    [InlineData("")]
    [InlineData(null)]
    public void PersonalData_LeavesOrdinaryNumbersAlone(string? text)
    {
        Assert.Empty(PersonalData.Find(text));
    }

    [Fact]
    public void Note_ContentWithACard_IsMarkedForReview_AndCleanContentClearsTheMark()
    {
        var note = new Note { Content = "Card 4111 1111 1111 1111" };
        Assert.True(note.PiiReview);
        Assert.Equal(PersonalData.PaymentCard, note.PiiKinds);

        note.Content = "Card removed";
        Assert.False(note.PiiReview);
        Assert.Null(note.PiiKinds);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JAVASCRIPT:alert(1))")]
    [InlineData("[x](&#106;avascript:alert(1))")]
    [InlineData("[x](vbscript:msgbox)")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[x][r]\n\n[r]: javascript:alert(1)")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("[x](//evil.example/path)")]
    public void Markdown_UnsafeLinks_PointNowhere(string markdown)
    {
        var html = NoteMarkdown.ToHtml(markdown);

        Assert.Contains("href=\"#\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[x](https://example.com/a?b=1)", "href=\"https://example.com/a?b=1\"")]
    [InlineData("[mail](mailto:ann@example.com)", "href=\"mailto:ann@example.com\"")]
    [InlineData("[here](/customers)", "href=\"/customers\"")]
    [InlineData("see https://example.com", "href=\"https://example.com\"")]
    public void Markdown_SafeLinks_AreKept(string markdown, string expected)
    {
        Assert.Contains(expected, NoteMarkdown.ToHtml(markdown), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<div onclick=\"alert(1)\">hi</div>")]
    [InlineData("text <iframe src=\"https://evil.example\"></iframe>")]
    public void Markdown_RawHtml_IsEscaped(string markdown)
    {
        var html = NoteMarkdown.ToHtml(markdown);

        Assert.Contains("&lt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<div", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<iframe", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tue, 01 Dec 2026 10:30:00 +0100", "2026-12-01T09:30:00Z")]
    [InlineData("Tue, 1 Dec 2026 10:30:00 -0500 (EST)", "2026-12-01T15:30:00Z")]
    [InlineData("1 Dec 2026 10:30 +0000", "2026-12-01T10:30:00Z")]
    [InlineData("Tue,  1 Dec 2026 10:30:00 GMT", "2026-12-01T10:30:00Z")]
    [InlineData("Tue, 1 Dec 2026 10:30:00 PST", "2026-12-01T18:30:00Z")]
    public void MessageHeaders_Date_ReadsRfc5322Dates(string header, string utc)
    {
        var parsed = MessageHeaders.Date(header);

        Assert.NotNull(parsed);
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), parsed.Value);
    }

    [Theory]
    [InlineData("the day before yesterday")]
    [InlineData("Tue, 32 Dec 2026 10:30:00 +0100")]
    [InlineData("Tue, 1 Dec 2026 10:30:00 +9900")]
    [InlineData("")]
    public void MessageHeaders_Date_RefusesWhatIsNotADate(string header)
    {
        Assert.Null(MessageHeaders.Date(header));
    }

    [Fact]
    public void MessageHeaders_MessageIds_AreReadWithOrWithoutBrackets()
    {
        Assert.Equal(["a@x", "b@y"], MessageHeaders.MessageIds("<a@x> <b@y>"));
        Assert.Equal(["a@x", "b@y"], MessageHeaders.MessageIds("<a@x>\r\n\t<b@y>"));
        Assert.Equal(["a@x"], MessageHeaders.MessageIds("a@x"));
        Assert.Empty(MessageHeaders.MessageIds("  "));
    }

    [Theory]
    [InlineData("noreply@x.example", true)]
    [InlineData("no-reply@x.example", true)]
    [InlineData("No_Reply.Team@x.example", true)]
    [InlineData("MAILER-DAEMON@x.example", true)]
    [InlineData("postmaster@x.example", true)]
    [InlineData("ann@x.example", false)]
    [InlineData("nora@x.example", false)]
    public void MessageHeaders_AutomatedSenders_AreRecognised(string address, bool automated)
    {
        Assert.Equal(automated, MessageHeaders.IsAutomatedSender(address));
    }
}
