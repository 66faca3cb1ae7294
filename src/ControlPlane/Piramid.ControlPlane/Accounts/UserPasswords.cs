using Microsoft.AspNetCore.Identity;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Accounts;

/// <summary>
/// Password hashing with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, 100,000
/// iterations, salted). An unknown email is checked against a dummy hash, so it costs the same time as a wrong password.
/// </summary>
public sealed class UserPasswords
{
    private readonly PasswordHasher<User> _hasher = new();
    private readonly Lazy<string> _dummy;

    /// <summary>Creates the hasher.</summary>
    public UserPasswords() =>
        _dummy = new Lazy<string>(() => _hasher.HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    /// <summary>The stored form of <paramref name="password"/>.</summary>
    public string Hash(string password) => _hasher.HashPassword(null!, password);

    /// <summary>True when <paramref name="password"/> matches <paramref name="user"/>'s hash; a null user hashes a dummy and fails.</summary>
    public bool Verify(User? user, string password)
    {
        var result = _hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? _dummy.Value, password);
        return user is not null && result != PasswordVerificationResult.Failed;
    }
}
