namespace Piramid.KeyWrapping.Tests;

/// <summary>A fresh directory per test, removed after.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("piramid-keywrap-").FullName;

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
