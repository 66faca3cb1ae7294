namespace Piramid.TestKit;

/// <summary>Damage done to a file behind a process's back, as a failing disk or a stray write would.</summary>
public static class FileDamage
{
    /// <summary>Flips bits of the byte in the middle of <paramref name="path"/> (XOR 0x5A: never a no-op).</summary>
    public static async Task FlipMiddleByteAsync(string path)
    {
        var size = new FileInfo(path).Length;
        await using var stream = new FileStream(path, FileMode.Open);
        stream.Position = size / 2;
        var b = stream.ReadByte();
        stream.Position = size / 2;
        stream.WriteByte((byte)(b ^ 0x5A));
    }
}
