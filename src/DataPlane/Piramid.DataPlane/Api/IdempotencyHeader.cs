using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Piramid.Contracts;
using Piramid.Contracts.Routes;
using Piramid.Engine;
using Piramid.Engine.Idempotency;

namespace Piramid.DataPlane.Api;

/// <summary>
/// The <c>Idempotency-Key</c> header of the point writes (upsert, update, delete), read into the engine's
/// <see cref="WriteIdempotency"/>. The key is scoped by method and path (the collection is the engine's scope);
/// the request hash is SHA-256 over method, path and the body with its insignificant whitespace removed, so a client
/// that re-serializes the same body with other indentation still replays. The engine remembers the answer
/// (docs/design/wal.md, "Idempotent writes").
/// </summary>
internal static class IdempotencyHeader
{
    /// <summary>
    /// The key of the request, or null when it has none; a malformed or repeated header is a 400 naming the header.
    /// Read before the body so a bad key is refused whatever the body.
    /// </summary>
    public static string? ReadKey(HttpContext context)
    {
        var values = context.Request.Headers[HeaderNames.IdempotencyKey];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw EngineException.Invalid($"The header '{HeaderNames.IdempotencyKey}' is given {values.Count} times; send it once.");
        }

        var key = values[0];
        return IdempotentRoutes.IsValidKey(key)
            ? key
            : throw EngineException.Invalid(
                $"The header '{HeaderNames.IdempotencyKey}' must be 1 to {WriteIdempotency.MaxKeyLength} printable ASCII characters (0x20 to 0x7E).");
    }

    /// <summary>The engine's idempotency of a write whose (already parsed) body is <paramref name="body"/>; null without a key.</summary>
    public static WriteIdempotency? For(HttpContext context, string? key, ReadOnlySpan<byte> body)
    {
        if (key is null)
        {
            return null;
        }

        var scope = $"{context.Request.Method} {context.Request.Path}";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(scope + "\n"));
        hash.AppendData(Canonical(body));
        return new WriteIdempotency(scope, key, hash.GetHashAndReset());
    }

    // The body token by token without whitespace. Property order and number spelling are kept: a retry sends the same
    // document, and telling {"a":1,"b":2} from {"b":2,"a":1} apart is safe (the second is refused, never misapplied).
    private static ReadOnlySpan<byte> Canonical(ReadOnlySpan<byte> body)
    {
        var output = new ArrayBufferWriter<byte>(body.Length);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true, Indented = false }))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(reader.GetString()!);
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(reader.GetString());
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        writer.WriteBooleanValue(reader.GetBoolean());
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                }
            }
        }

        return output.WrittenSpan;
    }
}
