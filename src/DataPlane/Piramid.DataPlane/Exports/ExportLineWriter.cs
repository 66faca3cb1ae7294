using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Piramid.Contracts.Exports;
using Piramid.Engine.Queries;

namespace Piramid.DataPlane.Exports;

/// <summary>
/// Writes points as export lines (docs/design/export-format.md): <c>{"id","vector","metadata"}</c> and a newline,
/// the vector as base64 of little-endian float32 or as JSON numbers (each the shortest text that reads back as the
/// same float32), the metadata as stored or null.
/// </summary>
internal sealed class ExportLineWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly bool _base64;

    public ExportLineWriter(string encoding)
    {
        _base64 = encoding == VectorEncodings.Base64F32Le;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false, SkipValidation = true });
    }

    /// <summary>The lines written since the last <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>Appends one point's line.</summary>
    public void Write(StoredPoint point)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("id"u8, point.Id);
        var vector = point.Vector!;
        if (_base64)
        {
            _json.WriteBase64String("vector"u8, LittleEndianBytes(vector));
        }
        else
        {
            _json.WriteStartArray("vector"u8);
            foreach (var value in vector)
            {
                _json.WriteNumberValue(value);
            }

            _json.WriteEndArray();
        }

        _json.WritePropertyName("metadata"u8);
        if (point.Metadata is { ValueKind: JsonValueKind.Object } metadata)
        {
            metadata.WriteTo(_json);
        }
        else
        {
            _json.WriteNullValue();
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
    }

    /// <summary>Forgets the written lines (after they were sent).</summary>
    public void Clear() => _buffer.ResetWrittenCount();

    public void Dispose() => _json.Dispose();

    private static ReadOnlySpan<byte> LittleEndianBytes(float[] vector)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.AsBytes(vector.AsSpan());
        }

        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }
}
