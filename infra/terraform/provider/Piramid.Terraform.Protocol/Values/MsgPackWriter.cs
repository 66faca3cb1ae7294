using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Piramid.Terraform.Protocol.Values;

/// <summary>The subset of MessagePack that cty values use: nil, bool, integers, float64, str, array, map, ext.</summary>
public sealed class MsgPackWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>nil.</summary>
    public void WriteNil() => WriteByte(0xc0);

    /// <summary>true or false.</summary>
    public void WriteBool(bool value) => WriteByte(value ? (byte)0xc3 : (byte)0xc2);

    /// <summary>Terraform's unknown value: fixext 1 of extension type 0 with a zero byte (<c>d4 00 00</c>).</summary>
    public void WriteUnknown()
    {
        WriteByte(0xd4);
        WriteByte(0);
        WriteByte(0);
    }

    /// <summary>A number: an integer when it is one (as cty writes them), else a float64.</summary>
    public void WriteNumber(double value)
    {
        if (Math.Floor(value) == value && value >= long.MinValue && value <= long.MaxValue && !double.IsInfinity(value))
        {
            WriteInteger((long)value);
            return;
        }

        var span = _buffer.GetSpan(9);
        span[0] = 0xcb;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _buffer.Advance(9);
    }

    /// <summary>An integer in its shortest form.</summary>
    public void WriteInteger(long value)
    {
        if (value is >= 0 and <= 0x7f)
        {
            WriteByte((byte)value);
        }
        else if (value is < 0 and >= -32)
        {
            WriteByte(unchecked((byte)(sbyte)value));
        }
        else
        {
            var span = _buffer.GetSpan(9);
            span[0] = 0xd3;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            _buffer.Advance(9);
        }
    }

    /// <summary>A UTF-8 string.</summary>
    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteHeader(length, 0xa0, 31, 0xd9, 0xda, 0xdb);
        var span = _buffer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(length);
    }

    /// <summary>The header of an array of <paramref name="count"/> elements.</summary>
    public void WriteArrayHeader(int count) => WriteHeader(count, 0x90, 15, null, 0xdc, 0xdd);

    /// <summary>The header of a map of <paramref name="count"/> pairs.</summary>
    public void WriteMapHeader(int count) => WriteHeader(count, 0x80, 15, null, 0xde, 0xdf);

    private void WriteHeader(int count, byte fix, int fixMax, byte? eight, byte sixteen, byte thirtyTwo)
    {
        if (count <= fixMax)
        {
            WriteByte((byte)(fix | count));
        }
        else if (eight is { } e && count <= byte.MaxValue)
        {
            WriteByte(e);
            WriteByte((byte)count);
        }
        else if (count <= ushort.MaxValue)
        {
            var span = _buffer.GetSpan(3);
            span[0] = sixteen;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)count);
            _buffer.Advance(3);
        }
        else
        {
            var span = _buffer.GetSpan(5);
            span[0] = thirtyTwo;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)count);
            _buffer.Advance(5);
        }
    }

    private void WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }
}
