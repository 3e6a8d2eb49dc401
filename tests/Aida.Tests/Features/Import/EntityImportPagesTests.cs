using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using Aida.Features.Import;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Import;

/// <summary>The upload form's choice of what the rows are: contacts open a mapping step with the contact fields.</summary>
public sealed class EntityImportPagesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UploadForm_EntityChoice_ImportsContacts_WithTheirFields(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        var m = Builders.Unique("");
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var list = await browser.OpenAsync("/imports");
        var choice = (IHtmlSelectElement)list.Document.QuerySelector("form[action='/imports'] select[name='entityType']")!;
        Assert.Equal(["customers", "contacts", "interactions", "leads"], choice.Options.Select(o => o.Value).ToArray());
        Assert.Equal("customers", choice.Value);

        var csv = Encoding.UTF8.GetBytes($"Company,First Name,Last Name\nAcme {m},Ann,Smith\n");
        var mapping = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("people.csv", csv), new() { ["entityType"] = "contacts" });
        Assert.Equal(HttpStatusCode.OK, mapping.Status);
        Assert.Equal("Map the columns", mapping.Text("h1"));
        var company = mapping.Document.QuerySelectorAll("table.import-mapping tbody tr").Single(r => r.QuerySelector("th")?.TextContent.Trim() == "Company");
        var select = (IHtmlSelectElement)company.QuerySelector("select")!;
        Assert.Equal("customer.name", select.Options.First(o => o.IsSelected).Value);
        Assert.Contains(select.Options, o => o.Value == "jobTitle");
        Assert.DoesNotContain(select.Options, o => o.Value == "displayName");
        Assert.Equal("contacts", await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().Where(i => i.FileName == "people.csv" && i.OwnerId == rep.Id).Select(i => i.EntityType).SingleAsync()));
    }
}
