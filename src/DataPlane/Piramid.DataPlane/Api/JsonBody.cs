using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Piramid.DataPlane.Api;

/// <summary>The engine's JSON answers: 200 and 201 with a body.</summary>
internal static class JsonBody
{
    /// <summary>Bodies up to this size are sent with a Content-Length; larger ones stream chunked.</summary>
    public const int BufferLimit = 64 * 1024;

    public static JsonBody<T> Ok<T>(T value) => new(StatusCodes.Status200OK, value, location: null);

    public static JsonBody<T> Created<T>(string location, T value) => new(StatusCodes.Status201Created, value, location);
}

/// <summary>
/// A JSON response sent with a Content-Length when it fits in <see cref="JsonBody.BufferLimit"/>, as nearly every
/// answer does. A chunked body ends with a closing chunk that the gateway forwards in a second send after the
/// data, which costs it a system call and its client a second wake-up per request; with a length, the gateway
/// forwards the whole answer in one write. Larger bodies (long scroll pages with vectors) stream chunked, so
/// memory stays bounded whatever the page size.
/// </summary>
internal sealed class JsonBody<T>(int statusCode, T value, string? location) : IResult, IStatusCodeHttpResult, IValueHttpResult<T>
{
    public int StatusCode => statusCode;

    int? IStatusCodeHttpResult.StatusCode => statusCode;

    public T Value => value;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        await using var body = new LengthFirstStream(response, JsonBody.BufferLimit);
        await JsonSerializer.SerializeAsync(body, value, typeInfo, httpContext.RequestAborted);
        await body.CompleteAsync(httpContext.RequestAborted);
    }
}
