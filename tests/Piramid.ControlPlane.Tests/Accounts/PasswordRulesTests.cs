using Piramid.ControlPlane.Accounts;

namespace Piramid.ControlPlane.Tests.Accounts;

public sealed class PasswordRulesTests
{
    [Fact]
    public void EveryListedPassword_InAnyCase_WithDigitsOrPunctuationAfter_IsRefused()
    {
        var random = new Random(20261206);
        var listed = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "common-passwords.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith("#!comment:", StringComparison.Ordinal))
            .ToList();
        Assert.True(listed.Count > 3000, $"only {listed.Count} common passwords");
        Assert.Equal(listed.Select(l => l.ToLowerInvariant()).Distinct().Count(), CommonPasswords.Count);
        foreach (var word in listed)
        {
            var cased = new string([.. word.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]);
            var padded = cased + new string([.. Enumerable.Range(0, Math.Max(0, PasswordRules.MinLength - cased.Length) + random.Next(4)).Select(_ => "0123456789!?.#"[random.Next(14)])]);
            var problem = PasswordRules.Problem(padded, "someone@example.com");
            Assert.True(problem is not null, $"'{padded}' (from '{word}') was accepted");
        }
    }

    [Fact]
    public void RandomLongPasswords_AreAccepted_AndLengthsAreBoundedBothWays()
    {
        var random = new Random(7);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_";
        for (var i = 0; i < 1000; i++)
        {
            var length = random.Next(PasswordRules.MinLength, PasswordRules.MaxLength + 1);
            var password = new string([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
            if (password.Distinct().Count() >= 4)
            {
                Assert.Null(PasswordRules.Problem(password, "someone@example.com"));
            }
        }

        Assert.Contains("at least 10", PasswordRules.Problem("a1b2c3d4e", "x@example.com"), StringComparison.Ordinal);
        Assert.Contains("at most 128", PasswordRules.Problem(new string('a', 64) + new string('b', 65), "x@example.com"), StringComparison.Ordinal);
        Assert.Contains("email", PasswordRules.Problem("someone.long@example.com", "someone.long@example.com"), StringComparison.Ordinal);
    }
}
