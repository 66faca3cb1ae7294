using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.DataPlane.Security;
using Piramid.Engine;
using Piramid.ServiceDefaults;

namespace Piramid.DataPlane.Api;

/// <summary>Body parsing, role checks and the mapping of engine failures to problem+json.</summary>
internal static class ApiSupport
{
    /// <summary>
    /// Reads a JSON body; a malformed one, or one that breaks the API's JSON rules (<see cref="JsonRules"/>), is a
    /// 400 naming where it went wrong. The body is read whole (Kestrel bounds it) and checked before it is bound.
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, bool optional = false)
        where T : new() =>
        (await ReadJsonAndBodyAsync(context, typeInfo, optional)).Value;

    /// <summary>Like <see cref="ReadJsonAsync"/>, and also returns the body's bytes (for the idempotency hash of a write).</summary>
    public static async Task<(T Value, ReadOnlyMemory<byte> Body)> ReadJsonAndBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, bool optional = false)
        where T : new()
    {
        var contentType = context.Request.ContentType;
        if (!string.IsNullOrEmpty(contentType) && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedBodyException($"Send the body as application/json; got '{contentType}'.");
        }

        if (optional && context.Request.ContentLength == 0)
        {
            return (new T(), ReadOnlyMemory<byte>.Empty);
        }

        var body = await ReadBodyAsync(context);
        await Hosting.SocketThreads.LeaveIfLongAsync(context);
        if (optional && body.Length == 0)
        {
            return (new T(), body);
        }

        JsonRules.Check(body.Span);
        try
        {
            var value = JsonSerializer.Deserialize(body.Span, typeInfo);
            return (value ?? throw EngineException.Invalid("The body must be a JSON object, not null."), body);
        }
        catch (JsonException e)
        {
            throw EngineException.Invalid(DescribeJsonError(e));
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context)
    {
        var length = context.Request.ContentLength is long declared and <= Contracts.Limits.MaxRequestBodyBytes ? (int)declared : 0;
        using var buffer = new MemoryStream(length);
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>
    /// Refuses with 403 unless the caller's role reaches the least role of the endpoint's route in the route table
    /// (<see cref="RouteTableEndpoints"/>) and the collection is in its scope. An endpoint outside the table admits no one.
    /// </summary>
    public static void Authorize(HttpContext context, string? collection)
    {
        if (context.Items[InternalAuthMiddleware.ItemKey] is not InternalIdentity identity)
        {
            throw new ForbiddenException("No identity.");
        }

        if (RouteTableEndpoints.Current(context) is not { } route || !route.Admits(identity.Role))
        {
            throw new ForbiddenException($"The role '{identity.Role}' may not do this.");
        }

        if (collection is not null && identity.Collections.Count > 0 && !identity.Collections.Contains(collection))
        {
            throw new ForbiddenException($"This key is not allowed to use collection '{collection}'.");
        }
    }

    /// <summary>Maps the exceptions a handler may raise for a caller's mistake to problem+json.</summary>
    public static async ValueTask<object?> HandleErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (EngineException e)
        {
            return EngineProblems.For(e);
        }
        catch (OutOfMemoryException e)
        {
            // Past MemoryGuard (an allocation it could not foresee): the tenant's limit, not a server fault.
            return EngineProblems.For(EngineException.InsufficientMemory(
                "The engine ran out of its memory limit serving this request. Retry smaller batches, delete data, or ask for a larger limit.", e));
        }
        catch (ForbiddenException e)
        {
            return ProblemResults.For(ProblemCatalog.Forbidden, e.Message);
        }
        catch (UnsupportedBodyException e)
        {
            return ProblemResults.For(ProblemCatalog.UnsupportedMediaType, e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ProblemResults.For(ProblemCatalog.PayloadTooLarge,
                $"The body is larger than {Contracts.Limits.MaxRequestBodyBytes} bytes; split the batch.");
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's other refusals (a short body, a slow one): the catalogue entry of its status.
            return ProblemResults.For(ProblemCatalog.ForStatus(e.StatusCode),
                "The request could not be read; check the body and its Content-Length.");
        }
    }

    private static string DescribeJsonError(JsonException e)
    {
        var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the body" : $"'{e.Path}'";
        var message = e.Message ?? string.Empty;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"Unknown field at {where}; check the field name against the API reference.";
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return "The body nests deeper than allowed.";
        }

        if (e.Path?.EndsWith("vector_b64", StringComparison.Ordinal) == true)
        {
            return $"{where} must be a string of standard base64 (with padding) of the vector's float32 values, little-endian.";
        }

        if (e.InnerException is FormatException || message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"Wrong type or out-of-range value at {where} (numbers must be finite; NaN and Infinity are not JSON).";
        }

        return $"The body is not valid JSON at {where} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).";
    }
}
