using System.Security.Cryptography;
using Piramid.Contracts.Identity;

namespace Piramid.Contracts.Tests.Identity;

public sealed class InternalIdentitySignerTests
{
    private static readonly byte[] Secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static readonly InternalIdentity Sample =
        new("key-1", "tenant-a", Roles.ReadWrite, "POST", "/v1/collections/docs/points", 1_700_000_000_000, "00112233445566778899aabbccddeeff", ["docs", "logs"]);

    [Fact]
    public void SignThenVerify_RoundTripsEveryField()
    {
        var header = InternalIdentitySigner.Sign(Sample, Secret);
        Assert.StartsWith("v1.", header, StringComparison.Ordinal);
        Assert.True(InternalIdentitySigner.TryVerify(header, Secret, out var identity));
        Assert.Equal(Sample with { Collections = identity!.Collections }, identity);
        Assert.Equal(["docs", "logs"], identity.Collections);
    }

    [Fact]
    public void Verify_EmptyScope_IsEmptyList()
    {
        var header = InternalIdentitySigner.Sign(Sample with { Collections = [] }, Secret);
        Assert.True(InternalIdentitySigner.TryVerify(header, Secret, out var identity));
        Assert.Empty(identity!.Collections);
    }

    [Fact]
    public void Verify_WrongSecret_Fails()
    {
        var header = InternalIdentitySigner.Sign(Sample, Secret);
        Assert.False(InternalIdentitySigner.TryVerify(header, RandomNumberGenerator.GetBytes(32), out var identity));
        Assert.Null(identity);
    }

    [Fact]
    public void Verify_AnyChangedCharacter_Fails()
    {
        var header = InternalIdentitySigner.Sign(Sample, Secret);
        for (var i = 3; i < header.Length; i++)
        {
            if (header[i] == '.')
            {
                continue;
            }

            var tampered = header[..i] + (header[i] == 'A' ? 'B' : 'A') + header[(i + 1)..];
            Assert.False(InternalIdentitySigner.TryVerify(tampered, Secret, out _), $"tampering at {i} was accepted");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1")]
    [InlineData("v2.AAAA.AAAA")]
    [InlineData("v1.%%%.AAAA")]
    [InlineData("v1.AAAA.AAAA.AAAA")]
    public void Verify_Malformed_Fails(string? header) =>
        Assert.False(InternalIdentitySigner.TryVerify(header, Secret, out _));

    [Fact]
    public void Sign_FieldWithLineFeed_IsRefused() =>
        Assert.Throws<ArgumentException>(() => InternalIdentitySigner.Sign(Sample with { Principal = "a\nb" }, Secret));

    [Fact]
    public void Sign_ShortSecret_IsRefused() =>
        Assert.Throws<ArgumentException>(() => InternalIdentitySigner.Sign(Sample, new byte[16]));
}
