using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Http;

public sealed class HttpLimitsOptions
{
    /// <summary>Largest request body an endpoint accepts unless it declares its own limit.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Gives every request an id — the caller's <c>X-Request-Id</c> when it is sane, else the trace id —
/// echoed in the response and stamped on every audit entry and event the request writes.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext context, OperationContext operation)
    {
        var supplied = context.Request.Headers[Header].ToString();
        var id = IsSafe(supplied) ? supplied : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        operation.RequestId = id;
        // Nobody until authentication says otherwise: a request without credentials has no rights.
        operation.BecomeAnonymous();
        // As the headers go out, so that an answer the exception handler wrote after clearing the response has it too.
        context.Response.OnStarting(static state =>
        {
            var (response, id) = ((HttpResponse, string))state;
            response.Headers[Header] = id;
            return Task.CompletedTask;
        }, (context.Response, id));
        return next(context);
    }

    private static bool IsSafe(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}

/// <summary>
/// Reads a request body whole, up to the endpoint's limit, before the endpoint binds it. An oversize
/// body is refused with a 413 problem before any work is done, whether or not it declared its length,
/// and the buffered body can be read twice (idempotency fingerprints).
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<HttpLimitsOptions> options)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method))
        {
            await next(context);
            return;
        }

        var limitMetadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = limitMetadata?.MaxRequestBodySize ?? options.Value.MaxRequestBodyBytes;

        if (request.ContentLength > limit)
        {
            await RefuseAsync(context, problems, limit);
            return;
        }

        // Kestrel enforces its own limit too; align it with this endpoint's.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        // An upload of a file (an import) goes to disk as it arrives; the endpoint counts it against the limit itself.
        if (limitMetadata is StreamedRequestBody)
        {
            await next(context);
            return;
        }

        var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    await RefuseAsync(context, problems, limit);
                    return;
                }

                await buffer.WriteAsync(chunk.AsMemory(0, read), context.RequestAborted);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseAsync(context, problems, limit);
            return;
        }

        buffer.Position = 0;
        request.Body = buffer;

        await next(context);
    }

    private static async Task RefuseAsync(HttpContext context, IProblemDetailsService problems, long? limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = ExceptionProblemHandler.TooLarge(limit),
        });
    }
}

/// <summary>
/// Marks an endpoint whose body is a file read as a stream (an import upload): not buffered in memory by
/// <see cref="RequestBodyLimitMiddleware"/>, with a limit of its own that the endpoint enforces as it reads.
/// </summary>
public sealed class StreamedRequestBody(long maxBytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxBytes;
}
