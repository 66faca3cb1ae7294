using System.Text;
using Piramid.ControlPlane.Accounts;

namespace Piramid.ControlPlane.Tests.Accounts;

public sealed class TotpCodesTests
{
    // RFC 6238 appendix B, SHA-1 rows (8 digits there; a 6-digit code is the last 6 of the same truncation).
    [Theory]
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1111111111, "050471")]
    [InlineData(1234567890, "005924")]
    [InlineData(2000000000, "279037")]
    [InlineData(20000000000, "353130")]
    public void Code_MatchesTheRfc6238Vectors(long unixSeconds, string expected)
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal(expected, TotpCodes.Code(secret, TotpCodes.StepOf(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));
    }

    [Fact]
    public void Match_AcceptsOneStepOfDrift_RefusesOlderSteps_AndReplays()
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890);
        var step = TotpCodes.StepOf(now);
        Assert.Equal(step - 1, TotpCodes.Match(secret, TotpCodes.Code(secret, step - 1), now, null));
        Assert.Equal(step + 1, TotpCodes.Match(secret, TotpCodes.Code(secret, step + 1), now, null));
        Assert.Null(TotpCodes.Match(secret, TotpCodes.Code(secret, step - 2), now, null));
        Assert.Null(TotpCodes.Match(secret, TotpCodes.Code(secret, step), now, lastStep: step));
    }

    [Fact]
    public void Base32_IsRfc4648WithoutPadding()
    {
        // RFC 4648 section 10 vectors.
        Assert.Equal("MZXW6YTBOI", TotpCodes.Base32("foobar"u8));
        Assert.Equal("MZXW6YQ", TotpCodes.Base32("foob"u8));
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", TotpCodes.Base32("12345678901234567890"u8));
    }
}
