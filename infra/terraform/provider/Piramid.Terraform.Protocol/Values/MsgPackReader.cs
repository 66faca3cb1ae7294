using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Piramid.Terraform.Protocol.Values;

/// <summary>
/// Reads the MessagePack that Terraform sends into a <see cref="TfValue"/>. Any extension is an unknown value:
/// type 0 is the plain unknown, and Terraform 1.6+ sends unknowns with refinements (type 12, e.g. "not null",
/// a string prefix) that a provider may ignore.
/// </summary>
public ref struct MsgPackReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    /// <summary>True when every byte was read.</summary>
    public readonly bool AtEnd => _position == _data.Length;

    /// <summary>Reads one value.</summary>
    public TfValue Read()
    {
        var b = Next();
        switch (b)
        {
            case <= 0x7f: return TfValue.Number(b);
            case >= 0xe0: return TfValue.Number((sbyte)b);
            case >= 0x80 and <= 0x8f: return ReadMap(b & 0x0f);
            case >= 0x90 and <= 0x9f: return ReadArray(b & 0x0f);
            case >= 0xa0 and <= 0xbf: return ReadString(b & 0x1f);
        }

        return b switch
        {
            0xc0 => TfValue.Null,
            0xc2 => TfValue.Bool(false),
            0xc3 => TfValue.Bool(true),
            0xc4 => Skip(Take(1)[0]),
            0xc5 => Skip(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
            0xc6 => Skip(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))),
            0xc7 => SkipExtension(Take(1)[0]),
            0xc8 => SkipExtension(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
            0xc9 => SkipExtension(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))),
            0xca => TfValue.Number(BinaryPrimitives.ReadSingleBigEndian(Take(4))),
            0xcb => TfValue.Number(BinaryPrimitives.ReadDoubleBigEndian(Take(8))),
            0xcc => TfValue.Number(Take(1)[0]),
            0xcd => TfValue.Number(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
            0xce => TfValue.Number(BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
            0xcf => TfValue.Number(BinaryPrimitives.ReadUInt64BigEndian(Take(8))),
            0xd0 => TfValue.Number((sbyte)Take(1)[0]),
            0xd1 => TfValue.Number(BinaryPrimitives.ReadInt16BigEndian(Take(2))),
            0xd2 => TfValue.Number(BinaryPrimitives.ReadInt32BigEndian(Take(4))),
            0xd3 => TfValue.Number(BinaryPrimitives.ReadInt64BigEndian(Take(8))),
            0xd4 => SkipExtension(1),
            0xd5 => SkipExtension(2),
            0xd6 => SkipExtension(4),
            0xd7 => SkipExtension(8),
            0xd8 => SkipExtension(16),
            0xd9 => ReadString(Take(1)[0]),
            0xda => ReadString(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
            0xdb => ReadString(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))),
            0xdc => ReadArray(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
            0xdd => ReadArray(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))),
            0xde => ReadMap(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
            0xdf => ReadMap(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))),
            _ => throw new FormatException($"Unsupported MessagePack byte 0x{b:x2} at offset {_position - 1}."),
        };
    }

    private TfValue ReadString(int length) => TfValue.String(Encoding.UTF8.GetString(Take(length)));

    private TfValue ReadArray(int count)
    {
        var items = new TfValue[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = Read();
        }

        return TfValue.List(items);
    }

    private TfValue ReadMap(int count)
    {
        var attributes = new Dictionary<string, TfValue>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = Read();
            var name = key.Kind switch
            {
                TfKind.String => key.AsString(),
                TfKind.Number => key.AsNumber().ToString(CultureInfo.InvariantCulture),
                _ => throw new FormatException($"A map key is {key.Kind}, not a string."),
            };
            attributes[name] = Read();
        }

        return TfValue.Object(attributes);
    }

    private TfValue SkipExtension(int length)
    {
        Take(1 + length);
        return TfValue.Unknown;
    }

    private TfValue Skip(int length)
    {
        Take(length);
        throw new FormatException("MessagePack binary values are not cty values.");
    }

    private byte Next() => Take(1)[0];

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > _data.Length)
        {
            throw new FormatException($"MessagePack value ends early at offset {_position} (wanted {count} more bytes).");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
