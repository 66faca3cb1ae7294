using System.Text;
using System.Text.Json;
using Piramid.Client.Json;

namespace Piramid.Client.Http;

/// <summary>Turns a refused answer into a <see cref="PiramidApiException"/>, from its problem body when it has one.</summary>
internal static class ProblemReader
{
    // A problem body is small; a larger error body is not one, and only its start is worth quoting.
    private const int MaxBodyChars = 4096;

    public static async Task<PiramidApiException> ReadAsync(HttpResponseMessage response, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var requestId = response.Headers.TryGetValues(HeaderNames.RequestId, out var ids) ? ids.FirstOrDefault() : null;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var problem = JsonSerializer.Deserialize(text, ClientJsonContext.Default.ProblemBody);
                if (problem is not null)
                {
                    return new PiramidApiException(
                        response.StatusCode, problem.Type, problem.Title, problem.Detail, problem.Instance,
                        problem.TraceId ?? problem.TraceIdCamel, problem.RequestId ?? requestId, retryAfter);
                }
            }
            catch (JsonException)
            {
                // Not a problem object after all: fall through and quote the body.
            }
        }

        var detail = text.Length == 0 ? null : Truncate(text);
        return new PiramidApiException(response.StatusCode, null, response.ReasonPhrase, detail, response.RequestMessage?.RequestUri?.AbsolutePath, null, requestId, retryAfter);
    }

    private static string Truncate(string text)
    {
        if (text.Length <= MaxBodyChars)
        {
            return text;
        }

        return new StringBuilder(text, 0, MaxBodyChars, MaxBodyChars + 1).Append('…').ToString();
    }
}
