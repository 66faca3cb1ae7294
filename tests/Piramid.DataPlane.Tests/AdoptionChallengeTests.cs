using System.Security.Cryptography;
using Piramid.Contracts.Identity;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// <c>/health/challenge</c>: the engine proves it holds its tenant's secret to a restarted control plane; the
/// answer depends on the nonce, the tenant and the secret, and a malformed nonce is a 400 problem.
/// </summary>
public sealed class AdoptionChallengeTests
{
    [Fact]
    public async Task Challenge_AnswersOnlyWhatTheHolderOfTheSecretCan_BadNoncesAre400()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using var http = engine.CreateUnsignedClient();
        var secret = Convert.FromBase64String(host.EngineSecret);

        var answers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            var nonce = AdoptionChallenge.NewNonce();
            var answer = await http.GetStringAsync(new Uri($"{AdoptionChallenge.Path}?nonce={nonce}", UriKind.Relative));
            Assert.True(AdoptionChallenge.Verify(secret, "t-test", nonce, answer), $"answer {answer} for {nonce}");
            Assert.False(AdoptionChallenge.Verify(RandomNumberGenerator.GetBytes(32), "t-test", nonce, answer), "another secret gives the same answer");
            Assert.False(AdoptionChallenge.Verify(secret, "t-other", nonce, answer), "another tenant gives the same answer");
            Assert.True(answers.Add(answer), "two nonces gave one answer");
        }

        // Only 32 lowercase hex characters: no line breaks, so no answer can stand in for an identity header's MAC.
        foreach (var bad in new[] { string.Empty, "abc", new string('A', 32), new string('0', 31), new string('0', 33), "0000000000000000000000000000000%0A" })
        {
            var response = await http.SendAsync(HttpMethod.Get, $"{AdoptionChallenge.Path}?nonce={bad}");
            ApiCalls.AssertProblem(response, 400, "lowercase hex");
        }
    }
}
