using Microsoft.Extensions.Primitives;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Admin;

/// <summary>
/// The control plane's first middleware. It refuses any request whose path, query, form or JSON body holds
/// text PostgreSQL cannot store (<see cref="StoredText"/>) with a 400 naming the field; it runs before
/// authentication because OpenIddict looks a <c>client_id</c> up in the database there. It also turns the
/// binder's <see cref="BadHttpRequestException"/> (an unknown field, <c>?from=banana</c>) into a 400 that
/// says which field and why (<see cref="BindingErrors"/>).
/// </summary>
internal sealed class RequestInputGuard(RequestDelegate next)
{
    /// <summary>Bodies larger than this are not scanned here; Kestrel's own body limit applies to them.</summary>
    private const long MaxScannedBody = 32L * 1024 * 1024;

    /// <summary>Forms here are logins and token requests, a few hundred bytes; larger ones go to the form reader as they are.</summary>
    private const long MaxScannedForm = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var problem = CheckUrl(context.Request) ?? await CheckBodyAsync(context.Request);
        if (problem is not null)
        {
            await InputProblems.WriteAsync(context, StatusCodes.Status400BadRequest, problem);
            return;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await InputProblems.WriteAsync(context, e.StatusCode, BindingErrors.Describe(e));
        }
        catch (InvalidDataException e) when (!context.Response.HasStarted && context.Request.HasFormContentType)
        {
            // The form reader's refusal (too many fields, a value too long, bad characters) is the caller's mistake.
            await InputProblems.WriteAsync(context, StatusCodes.Status400BadRequest, $"The form body could not be read: {e.Message}");
        }
    }

    private static string? CheckUrl(HttpRequest request)
    {
        if (StoredText.Problem(request.Path.Value) is { } inPath)
        {
            return $"The path {inPath}.";
        }

        foreach (var (key, values) in request.Query)
        {
            if (Check("query parameter", key, values) is { } inQuery)
            {
                return inQuery;
            }
        }

        return null;
    }

    private static async Task<string?> CheckBodyAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            // Scanned by hand: ASP.NET's form reader throws on a NUL without saying which field held it.
            var urlEncoded = request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
            return urlEncoded && request.ContentLength is null or <= MaxScannedForm ? await CheckUrlEncodedFormAsync(request) : null;
        }

        if (!IsJson(request.ContentType) || request.ContentLength > MaxScannedBody)
        {
            return null;
        }

        request.EnableBuffering();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return copy.Length > MaxScannedBody ? null : JsonText.FindProblem(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }

    private static async Task<string?> CheckUrlEncodedFormAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?" + text))
        {
            if (Check("form field", key, value) is { } inForm)
            {
                return inForm;
            }
        }

        return null;
    }

    private static string? Check(string kind, string key, StringValues values)
    {
        if (StoredText.Problem(key) is { } inKey)
        {
            return $"A {kind} name {inKey}.";
        }

        foreach (var value in values)
        {
            if (StoredText.Problem(value) is { } inValue)
            {
                return $"The {kind} '{key}' {inValue}.";
            }
        }

        return null;
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));
}
