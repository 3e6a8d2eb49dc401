using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Aida.Tests.Infrastructure;

/// <summary>
/// The web UI as a browser without JavaScript sees it: its own cookie jar, HTML parsed into a DOM, and
/// forms submitted the way a browser submits them — every field the form renders (hidden ones, the
/// antiforgery token, selected options, checked boxes), the values a test types, and the button pressed.
/// </summary>
public sealed class PageBrowser : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _client;

    public PageBrowser(AidaApp app)
    {
        _client = app.NewHttpClient(allowAutoRedirect: false, cookies: Cookies);
        _client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
    }

    public CookieContainer Cookies { get; } = new();

    public static async Task<PageBrowser> SignedInAsync(AidaApp app, Aida.Platform.Auth.User user, string password)
    {
        var browser = new PageBrowser(app);
        var page = await browser.OpenAsync("/signin");
        var response = await browser.SubmitAsync(page, "form[action='/signin']", new() { ["email"] = user.Email, ["password"] = password });
        Assert.True(response.WasRedirected, $"sign-in failed: {response.Status}");
        return browser;
    }

    /// <summary>GETs <paramref name="url"/>, following redirects as a browser would.</summary>
    public async Task<Page> OpenAsync(string url, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await _client.SendAsync(request);
        return await FollowAsync(response);
    }

    /// <summary>Fills the form found by <paramref name="formSelector"/> with <paramref name="fields"/> and submits it with <paramref name="button"/> (a selector inside the form), following the redirect.</summary>
    public async Task<Page> SubmitAsync(Page page, string formSelector, Dictionary<string, string?>? fields = null, string? button = null)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"no form '{formSelector}' on {page.Url}:\n{page.Html}");
        var values = FormFields(form);
        foreach (var (name, value) in fields ?? new Dictionary<string, string?>())
        {
            values.RemoveAll(kv => kv.Key == name);
            if (value is not null)
            {
                values.Add(new(name, value));
            }
        }

        if (button is not null)
        {
            var pressed = (form.QuerySelector(button) ?? page.Document.QuerySelector(button)) as IHtmlButtonElement
                ?? throw new InvalidOperationException($"no button '{button}' for form '{formSelector}'");
            if (!string.IsNullOrEmpty(pressed.Name))
            {
                values.Add(new(pressed.Name, pressed.Value));
            }
        }

        var action = form.GetAttribute("action") ?? page.Url;
        var response = await _client.PostAsync(action, new FormUrlEncodedContent(values));
        return await FollowAsync(response);
    }

    /// <summary>
    /// Submits a multipart form (enctype="multipart/form-data") as a browser does: its rendered fields and
    /// <paramref name="fields"/> as text parts, and <paramref name="file"/> (null: no file chosen, an empty part) in the field <paramref name="fileField"/>.
    /// </summary>
    public async Task<Page> SubmitFileAsync(
        Page page, string formSelector, string fileField, (string Name, byte[] Bytes)? file, Dictionary<string, string?>? fields = null)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"no form '{formSelector}' on {page.Url}:\n{page.Html}");
        var values = FormFields(form).Where(kv => kv.Key != fileField).ToList();
        foreach (var (name, value) in fields ?? new Dictionary<string, string?>())
        {
            values.RemoveAll(kv => kv.Key == name);
            if (value is not null)
            {
                values.Add(new(name, value));
            }
        }

        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in values)
        {
            content.Add(new StringContent(value), name);
        }

        var part = new ByteArrayContent(file?.Bytes ?? []);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        // As a browser sends it: filename="" when no file was chosen.
        part.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("form-data")
        {
            Name = $"\"{fileField}\"",
            FileName = $"\"{file?.Name ?? ""}\"",
        };
        content.Add(part);
        var action = form.GetAttribute("action") ?? page.Url;
        return await FollowAsync(await _client.PostAsync(action, content));
    }

    /// <summary>Posts raw form fields (for forms a test has to craft, such as a forged or tampered one).</summary>
    public async Task<Page> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        await FollowAsync(await _client.PostAsync(url, new FormUrlEncodedContent(fields)));

    /// <summary>Posts form fields with request headers, as a page script's fetch would (e.g. Accept: application/json).</summary>
    public async Task<Page> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, IDictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await FollowAsync(await _client.SendAsync(request));
    }

    /// <summary>What the form would send as it is rendered.</summary>
    public static List<KeyValuePair<string, string>> FormFields(IHtmlFormElement form)
    {
        var values = new List<KeyValuePair<string, string>>();
        // Elements with form="id" elsewhere on the page belong to it too; these pages keep them inside.
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when string.IsNullOrEmpty(input.Name) || input.IsDisabled:
                    break;
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked)
                    {
                        values.Add(new(input.Name!, input.Value));
                    }

                    break;
                case IHtmlInputElement input when input.Type is "submit" or "button":
                    break;
                case IHtmlInputElement input:
                    values.Add(new(input.Name!, input.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    var option = select.Options.FirstOrDefault(o => o.IsSelected) ?? (select.Options.Length > 0 ? select.Options[0] : null);
                    if (option is not null)
                    {
                        values.Add(new(select.Name!, option.Value));
                    }

                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    values.Add(new(area.Name!, area.Value));
                    break;
            }
        }

        return values;
    }

    private async Task<Page> FollowAsync(HttpResponseMessage response)
    {
        var redirects = new List<string>();
        while (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther && redirects.Count < 5)
        {
            var location = response.Headers.Location!;
            redirects.Add(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
            response.Dispose();
            response = await _client.GetAsync(location);
        }

        var html = await response.Content.ReadAsStringAsync();
        var url = response.RequestMessage!.RequestUri!.PathAndQuery;
        var page = new Page(url, response.StatusCode, redirects, response.Content.Headers.ContentType?.MediaType, html, await Parser.ParseDocumentAsync(html));
        response.Dispose();
        return page;
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>A page as received: where it ended up after any redirects, the final status, its DOM.</summary>
public sealed record Page(string Url, HttpStatusCode Status, IReadOnlyList<string> Redirects, string? MediaType, string Html, IHtmlDocument Document)
{
    public bool WasRedirected => Redirects.Count > 0;

    public string Text(string selector) => Document.QuerySelector(selector)?.TextContent.Trim() ?? "";

    public IReadOnlyList<string> Texts(string selector) => Document.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToList();

    public string? Flash => Document.QuerySelector("div.flash")?.TextContent.Trim();

    /// <summary>The inline error shown beside the field named <paramref name="field"/>.</summary>
    public string? FieldError(string field) =>
        Document.QuerySelector($"input[name='{field}'], select[name='{field}'], textarea[name='{field}']")?
            .Closest(".field")?.QuerySelector(".field-error")?.TextContent.Trim();
}
